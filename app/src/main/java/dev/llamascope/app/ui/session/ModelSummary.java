package dev.llamascope.app.ui.session;

import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What a model card shows, computed once when the model is loaded. Plain values, no JavaFX. */
public record ModelSummary(String name, Path path, String format, String weightTypes, ModelConfig config,
                           long parameters, long weightBytes, long kvCacheBytes, long fileBytes,
                           String tokenizer, int vocabSize, boolean byteFallback, int contextLength) {

    public static ModelSummary of(LoadedModel loaded, Path path, Path tokenizerPath) {
        LlamaModel m = loaded.model();
        ModelConfig c = m.config();
        Tokenizer t = loaded.tokenizer();
        Path fileName = path.getFileName();
        String tokName = tokenizerPath != null && tokenizerPath.getFileName() != null
                ? tokenizerPath.getFileName().toString() : t.name();
        return new ModelSummary(fileName == null ? path.toString() : fileName.toString(), path, m.format(),
                m.weightTypes(), c, c.parameterCount(), m.weightBytes(), c.kvCacheBytes(), sizeOf(path), tokName,
                t.size(), t.hasByteFallback(), c.seqLen());
    }

    private static long sizeOf(Path p) {
        try {
            if (Files.isRegularFile(p)) return Files.size(p);
            if (Files.isDirectory(p)) {
                try (var s = Files.list(p)) {
                    return s.filter(Files::isRegularFile).mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (java.io.IOException e) {
                            return 0;
                        }
                    }).sum();
                }
            }
        } catch (java.io.IOException ignored) {
            // size unknown: shown as such
        }
        return -1;
    }

    /** "dim 64 · hidden 172 · 5 layers · 8 heads (4 KV)" */
    public String shape() {
        ModelConfig c = config;
        String heads = c.nKvHeads() == c.nHeads() ? c.nHeads() + " heads" : c.nHeads() + " heads (" + c.nKvHeads() + " KV)";
        return "dim " + c.dim() + " · hidden " + c.hiddenDim() + " · " + c.nLayers() + " layers · " + heads;
    }

    /** 260K, 15.2M, 1.1B */
    public static String count(long n) {
        if (n < 1_000) return Long.toString(n);
        if (n < 1_000_000) return trim(n / 1e3) + "K";
        if (n < 1_000_000_000) return trim(n / 1e6) + "M";
        return trim(n / 1e9) + "B";
    }

    /** 1.0 MB, 512 KB */
    public static String bytes(long b) {
        if (b < 0) return "unknown";
        if (b < 1024) return b + " B";
        if (b < 1024 * 1024) return trim(b / 1024.0) + " KB";
        if (b < 1024L * 1024 * 1024) return trim(b / (1024.0 * 1024)) + " MB";
        return trim(b / (1024.0 * 1024 * 1024)) + " GB";
    }

    private static String trim(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : v >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
