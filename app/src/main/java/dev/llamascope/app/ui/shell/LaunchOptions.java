package dev.llamascope.app.ui.shell;

import dev.llamascope.app.cli.Args;
import dev.llamascope.app.ui.data.DataScript;
import dev.llamascope.app.ui.theme.ThemeMode;
import java.nio.file.Path;
import java.util.List;

/**
 * The window's command line: {@code llamascope gui [--model M] [--tokenizer T] [--prompt P] [--pane NAME]
 * [--generate] [--max-tokens N] [--temperature T] [--seed S] [--theme light|dark|system] [--size WxH]
 * [--snapshot FILE.png] [--snapshot-delay SECONDS] [--models DIR] [--catalog FILE] [--download NAME]
 * [--train-data FILE] [--train-steps N]}. With
 * --snapshot the window opens, does what the other options say, writes a PNG of itself and exits (and remembers
 * nothing). --data-tab and the other --data-* options run a step of the Data pane before the picture (DataScript).
 * --models and --catalog choose the models folder and the catalog as for {@code pull} and {@code list};
 * --download starts downloading a catalog model (with --snapshot, the picture is taken once a third is done).
 * --train-data starts a training run of the loaded model on that file in the Train pane (--train-steps long, the
 * pane's defaults otherwise); with --snapshot the picture is taken when the run has ended.
 */
public record LaunchOptions(Path model, Path tokenizer, String prompt, String pane, boolean generate, Integer maxTokens,
                            Double temperature, Long seed, ThemeMode theme, double[] size, Path snapshot,
                            double snapshotDelay, Path models, Path catalog, String download, Path trainData, Integer trainSteps,
                            DataScript.Options data) {

    public static final String USAGE = "llamascope gui [--model M] [--tokenizer T] [--prompt P] [--pane models|generate|inspect|train|data]"
            + " [--generate] [--max-tokens N] [--temperature T] [--seed S] [--theme light|dark|system] [--size WxH]"
            + " [--snapshot FILE.png] [--snapshot-delay SECONDS] [--models DIR] [--catalog FILE] [--download NAME]"
            + " [--train-data FILE] [--train-steps N]"
            + " [--data-tab prompts|stories|diversity|tokenizer|dataset --data-file FILE --data-output PATH --data-endpoint URL"
            + " --data-model NAME --data-lang en|zh --data-count N --data-vocab N --data-tokenizer FILE]";

    public static LaunchOptions parse(List<String> argv) throws Args.UsageException {
        Args a = new Args(argv.toArray(String[]::new), 0, List.of("--model|-m", "--tokenizer|-z", "--prompt|-i", "--pane",
                "--max-tokens|-n", "--temperature|-t", "--seed|-s", "--theme", "--size", "--snapshot", "--snapshot-delay",
                "--models", "--catalog", "--download", "--train-data", "--train-steps", "--data-tab", "--data-file", "--data-output",
                "--data-endpoint", "--data-model", "--data-lang", "--data-count", "--data-vocab", "--data-tokenizer"),
                List.of("--generate"));
        a.maxPositional(0);
        String pane = a.string("--pane", null);
        if (pane != null && !List.of("models", "generate", "inspect", "train", "data").contains(pane))
            throw new Args.UsageException("--pane must be one of models, generate, inspect, train, data");
        DataScript.Options data = null;
        if (a.has("--data-tab")) {
            if (pane != null && !pane.equals("data")) throw new Args.UsageException("--data-tab goes with --pane data");
            pane = "data";
            try {
                data = new DataScript.Options(a.string("--data-tab", ""), a.path("--data-file"), a.path("--data-output"),
                        a.string("--data-endpoint", null), a.string("--data-model", null), a.string("--data-lang", null),
                        a.has("--data-count") ? a.integer("--data-count", 0) : null, a.has("--data-vocab") ? a.integer("--data-vocab", 0) : null,
                        a.path("--data-tokenizer"));
            } catch (IllegalArgumentException e) {
                throw new Args.UsageException(e.getMessage());
            }
        }
        if (a.flag("--generate") && a.string("--model", null) == null)
            throw new Args.UsageException("--generate needs --model");
        Integer maxTokens = a.has("--max-tokens") ? a.integer("--max-tokens", 0) : null;
        if (maxTokens != null && maxTokens < 1) throw new Args.UsageException("--max-tokens must be at least 1");
        Double temperature = a.has("--temperature") ? (double) a.number("--temperature", 0) : null;
        if (temperature != null && !(temperature >= 0 && temperature <= 2)) throw new Args.UsageException("--temperature must be in [0, 2]");
        Long seed = a.has("--seed") ? a.longValue("--seed", 0) : null;
        if (seed != null && seed <= 0) throw new Args.UsageException("--seed must be positive");
        ThemeMode theme = null;
        if (a.has("--theme")) {
            String t = a.string("--theme", "system");
            if (!List.of("light", "dark", "system").contains(t)) throw new Args.UsageException("--theme must be light, dark or system");
            theme = ThemeMode.fromKey(t);
        }
        double[] size = null;
        if (a.has("--size")) {
            String[] wh = a.string("--size", "").toLowerCase(java.util.Locale.ROOT).split("x");
            try {
                size = new double[]{Double.parseDouble(wh[0]), Double.parseDouble(wh[1])};
            } catch (RuntimeException e) {
                throw new Args.UsageException("--size wants WIDTHxHEIGHT, e.g. 1280x800");
            }
            if (size[0] < 400 || size[1] < 300) throw new Args.UsageException("--size must be at least 400x300");
        }
        Integer trainSteps = a.has("--train-steps") ? a.integer("--train-steps", 0) : null;
        if (trainSteps != null && trainSteps < 1) throw new Args.UsageException("--train-steps must be at least 1");
        if (a.has("--train-data") && a.string("--model", null) == null)
            throw new Args.UsageException("--train-data needs --model (the run fine-tunes the loaded model)");
        double delay = a.number("--snapshot-delay", 0.5f);
        if (!(delay >= 0 && delay <= 600)) throw new Args.UsageException("--snapshot-delay must be between 0 and 600 seconds");
        return new LaunchOptions(a.path("--model"), a.path("--tokenizer"), a.string("--prompt", null), pane, a.flag("--generate"),
                maxTokens, temperature, seed, theme, size, a.path("--snapshot"), delay, a.path("--models"), a.path("--catalog"),
                a.string("--download", null), a.path("--train-data"), trainSteps, data);
    }

    public boolean snapshotMode() {
        return snapshot != null;
    }
}
