package dev.llamascope.app.cli;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.ModelExporter;
import dev.llamascope.engine.model.ModelExporter.Target;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code convert}: reads a model in any format this program knows and writes it as llama2.c (version 0 or 2), a
 * Hugging Face folder or a GGUF file, so it goes on to run.c, PyTorch, llama.cpp or Ollama.
 */
public final class ConvertCommand implements Command {
    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String summary() {
        return "write a model as llama2.c, Hugging Face or GGUF";
    }

    @Override
    public String usage() {
        return "llamascope convert IN OUT [--to llama2c|llama2c-v2|hf|gguf] [--quantize q8_0|q4_0] [--dtype f32|f16|bf16]"
                + " [--group-size N] [-z TOKENIZER] [--context N] [--name NAME]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--to", "--quantize", "--dtype", "--group-size", "-z|--tokenizer", "--context", "--name"),
                List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            System.err.println("  The target follows OUT when --to is missing: *.gguf -> gguf, *.bin -> llama2c, a folder -> hf.");
            System.err.println("  gguf: f32 (default), f16, q8_0, q4_0; hf: f32 (default), f16, bf16; llama2c-v2: int8 groups of 64"
                    + " (halved until they divide the model).");
            return 0;
        }
        Path in = Path.of(a.positional(0, "IN")), out = Path.of(a.positional(1, "OUT"));
        a.maxPositional(2);
        if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize()))
            throw new Args.UsageException("OUT must differ from IN");
        Target target = a.has("--to") ? parseTarget(a.string("--to", null)) : guessTarget(out);
        String quantize = lower(a.string("--quantize", null)), dtype = lower(a.string("--dtype", null));
        String type = typeFor(target, quantize, dtype, a.integer("--group-size", 0));
        int context = a.integer("--context", 0);
        if (context < 0) throw new Args.UsageException("--context must be positive");

        try (LlamaModel m = ModelLoader.loadWeights(in, LoadOptions.DEFAULT.withContextLength(context))) {
            Tokenizer tok = tokenizer(a.path("-z"), in, m, target);
            FlatWeights w = FlatWeights.of(m);
            String name = a.string("--name", stem(in));
            ModelExporter.export(w, tok, out, target, type, name);
            if (target == Target.LLAMA2C || target == Target.LLAMA2C_V2) writeTokenizerBeside(out, tok);
            System.err.printf(Locale.ROOT, "llamascope: wrote %s (%s%s, %s, from %s)%n", out, target.cliName,
                    type == null ? "" : " " + type, InfoCommand.human(size(out), "B"), m.format());
        }
        return 0;
    }

    private static Target parseTarget(String s) throws Args.UsageException {
        try {
            return Target.parse(s);
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
    }

    static Target guessTarget(Path out) throws Args.UsageException {
        String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".gguf")) return Target.GGUF;
        if (n.endsWith(".bin")) return Target.LLAMA2C;
        if (Files.isDirectory(out) || !n.contains(".")) return Target.HF;
        throw new Args.UsageException("cannot tell the format from '" + out.getFileName() + "': give --to llama2c|llama2c-v2|hf|gguf");
    }

    /** The storage type for the exporter, checked against the target. */
    static String typeFor(Target t, String quantize, String dtype, int groupSize) throws Args.UsageException {
        if (quantize != null && dtype != null) throw new Args.UsageException("give --quantize or --dtype, not both");
        if (groupSize != 0 && t != Target.LLAMA2C_V2) throw new Args.UsageException("--group-size is for --to llama2c-v2");
        switch (t) {
            case GGUF -> {
                if (quantize != null && !List.of("q8_0", "q4_0").contains(quantize))
                    throw new Args.UsageException("--quantize for gguf is q8_0 or q4_0");
                if (dtype != null && !List.of("f32", "f16").contains(dtype)) throw new Args.UsageException("--dtype for gguf is f32 or f16");
                return quantize != null ? quantize : dtype;
            }
            case HF -> {
                if (quantize != null) throw new Args.UsageException("Hugging Face folders are written unquantized (--dtype f32|f16|bf16)");
                if (dtype != null && !List.of("f32", "f16", "bf16").contains(dtype)) throw new Args.UsageException("--dtype for hf is f32, f16 or bf16");
                return dtype;
            }
            case LLAMA2C -> {
                if (quantize != null) throw new Args.UsageException("llama2.c version 0 is fp32; use --to llama2c-v2 for int8");
                if (dtype != null && !dtype.equals("f32")) throw new Args.UsageException("llama2.c version 0 is fp32");
                return null;
            }
            default -> {
                if (quantize != null && !quantize.equals("q8_0")) throw new Args.UsageException("llama2c-v2 is int8 (q8_0) only");
                if (dtype != null) throw new Args.UsageException("llama2c-v2 is int8; --dtype does not apply");
                if (groupSize < 0) throw new Args.UsageException("--group-size must be positive");
                return groupSize > 0 ? "gs" + groupSize : null;
            }
        }
    }

    /** -z, else the tokenizer that comes with the model; GGUF needs one, the others go without. */
    private static Tokenizer tokenizer(Path z, Path in, LlamaModel m, Target target) throws Exception {
        Tokenizer tok = null;
        if (z != null) {
            tok = ModelLoader.TokenizerLoader.load(z, m.config().vocabSize());
        } else {
            try {
                tok = ModelLoader.formatOf(in).tokenizerFor(in, m);
            } catch (ModelFormatException e) {
                if (target == Target.GGUF) throw e;
                System.err.println("llamascope: note: " + e.getMessage() + "; writing without a tokenizer");
            }
            if (tok != null && tok.size() != m.config().vocabSize()) tok = null;
        }
        if (tok == null && target == Target.GGUF)
            throw new ModelFormatException(in, "a GGUF file carries its vocabulary, and none was found: pass -z TOKENIZER");
        return tok;
    }

    /** llama2.c looks for tokenizer.bin beside a checkpoint: write one there unless one exists. */
    private static void writeTokenizerBeside(Path out, Tokenizer tok) throws Exception {
        if (tok == null) return;
        Path dir = out.toAbsolutePath().getParent();
        Path t = dir.resolve("tokenizer.bin");
        if (Files.exists(t)) return;
        Llama2cTokenizer.write(t, tok);
        System.err.println("llamascope: wrote " + t + " (" + tok.size() + " tokens)");
    }

    private static long size(Path p) throws Exception {
        if (!Files.isDirectory(p)) return Files.size(p);
        try (var s = Files.list(p)) {
            long n = 0;
            for (Path f : s.toList()) n += Files.isRegularFile(f) ? Files.size(f) : 0;
            return n;
        }
    }

    private static String stem(Path p) {
        String n = p.toAbsolutePath().normalize().getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }
}
