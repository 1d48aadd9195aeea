package dev.llamascope.app.cli;

import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: finds the subcommand, runs it, and turns every error a user can cause into one line on
 * stderr and a non-zero exit code (1 for bad files and values, 2 for a wrong command line), never a stack trace.
 */
public final class Cli {
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final PrintStream err;

    public Cli(List<Command> all, PrintStream err) {
        for (Command c : all) commands.put(c.name(), c);
        this.err = err;
    }

    public static List<Command> standardCommands() {
        // One command per line, so that adding one is a one-line change.
        return List.of(
                new GenerateCommand(),
                new TokenizeCommand(),
                new InfoCommand(),
                new InitCommand(),
                new BenchCommand(),
                new PullCommand(),
                new ListCommand(),
                new DevicesCommand(),
                new TokenizerCommand(),
                new PromptsCommand(),
                new SynthCommand(),
                new DiversityCommand(),
                new DatasetCommand(),
                new PretokenizeCommand(),
                new InspectCommand(),
                new ConvertCommand(),
                new TrainCommand());
    }

    public int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            printHelp();
            return args.length == 0 ? 2 : 0;
        }
        Command c = commands.get(args[0]);
        if (c == null) {
            err.println("llamascope: unknown command '" + args[0] + "'");
            printHelp();
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return c.run(rest);
        } catch (Args.UsageException e) {
            err.println("llamascope " + c.name() + ": " + e.getMessage());
            err.println("usage: " + c.usage());
            return 2;
        } catch (ModelFormatException e) {
            err.println("llamascope: " + e.getMessage());
            return 1;
        } catch (NoSuchFileException e) {
            err.println("llamascope: " + e.getFile() + ": no such file");
            return 1;
        } catch (AccessDeniedException e) {
            err.println("llamascope: " + e.getFile() + ": permission denied");
            return 1;
        } catch (IOException e) {
            err.println("llamascope: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("llamascope: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("llamascope: out of memory (" + e.getMessage() + "); try a smaller model or more -Xmx");
            return 1;
        } catch (Exception e) {
            err.println("llamascope: " + e);
            return 1;
        }
    }

    private void printHelp() {
        err.println("usage: llamascope [COMMAND] [ARGS]   (no command opens the window)");
        for (Command c : commands.values()) err.printf("  %-12s %s%n", c.name(), c.summary());
        err.println("Run 'llamascope COMMAND --help' for a command's options.");
    }

    /** stdout as UTF-8 regardless of the platform encoding (wrapping System.out, so tests can capture it). */
    public static PrintStream utf8Stdout() {
        return new PrintStream(System.out, false, StandardCharsets.UTF_8);
    }
}
