package dev.llamascope.app.cli;

import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code info}: what a checkpoint is, read from its header and tensors. */
public final class InfoCommand implements Command {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String summary() {
        return "show a checkpoint's format, shape, parameters, size and types";
    }

    @Override
    public String usage() {
        return "llamascope info [CHECKPOINT|NAME]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of(), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        Path p = ModelArgument.resolve(a.positional().isEmpty() ? null : a.positional().getFirst(), "info MODEL.bin");
        a.maxPositional(1);
        try (LlamaModel m = ModelLoader.loadWeights(p)) {
            ModelConfig c = m.config();
            var out = Cli.utf8Stdout();
            out.printf(Locale.ROOT, "file:        %s%n", p);
            out.printf(Locale.ROOT, "format:      %s%n", m.format());
            out.printf(Locale.ROOT, "shape:       dim %d, hidden %d, %d layers, %d heads, %d kv heads, vocab %d, seq %d%n",
                    c.dim(), c.hiddenDim(), c.nLayers(), c.nHeads(), c.nKvHeads(), c.vocabSize(), c.seqLen());
            out.printf(Locale.ROOT, "classifier:  %s%n", c.sharedClassifier() ? "shared with the token embedding" : "separate");
            out.printf(Locale.ROOT, "parameters:  %,d (%s)%n", c.parameterCount(), human(c.parameterCount(), ""));
            out.printf(Locale.ROOT, "bytes:       %,d on disk, %,d of weights%n", diskBytes(p), m.weightBytes());
            out.printf(Locale.ROOT, "dtype:       %s%n", m.weightTypes());
            out.printf(Locale.ROOT, "kv cache:    %s at full context (fp32)%n", human(c.kvCacheBytes(), "B"));
            out.flush();
        }
        return 0;
    }

    /** The file's size, or the sum over a model folder's files. */
    static long diskBytes(Path p) throws java.io.IOException {
        if (!Files.isDirectory(p)) return Files.size(p);
        try (var s = Files.list(p)) {
            long n = 0;
            for (Path f : s.toList()) if (Files.isRegularFile(f)) n += Files.size(f);
            return n;
        }
    }

    static String human(long n, String unit) {
        String[] s = {"", "K", "M", "G", "T"};
        double v = n;
        int i = 0;
        while (v >= 1000 && i < s.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, i == 0 ? "%.0f%s%s" : "%.1f%s%s", v, s[i], unit);
    }
}
