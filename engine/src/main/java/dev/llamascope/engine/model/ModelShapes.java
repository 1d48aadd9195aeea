package dev.llamascope.engine.model;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Named model shapes (karpathy's TinyStories models, the Chinese 93M one) and the key=value shape syntax. */
public final class ModelShapes {
    private ModelShapes() {}

    private static final Map<String, ModelConfig> NAMED = new LinkedHashMap<>();

    static {
        NAMED.put("stories260K", new ModelConfig(64, 172, 5, 8, 4, 512, 512, true));
        NAMED.put("stories15M", new ModelConfig(288, 768, 6, 6, 6, 32000, 256, true));
        NAMED.put("stories42M", new ModelConfig(512, 1376, 8, 8, 8, 32000, 1024, true));
        NAMED.put("stories110M", new ModelConfig(768, 2048, 12, 12, 12, 32000, 1024, true));
        // The Chinese TinyStories 93M llama2.c model: its own ~3000-token tokenizer.
        NAMED.put("zh93M", new ModelConfig(768, 2268, 12, 12, 12, 3000, 768, true));
    }

    public static Map<String, ModelConfig> named() {
        return Map.copyOf(NAMED);
    }

    /**
     * A shape by name, or "dim=…,hidden=…,layers=…,heads=…,kv=…,vocab=…,seq=…" (kv defaults to heads, and
     * "shared=false" makes the classifier separate).
     */
    public static ModelConfig parse(String spec) {
        for (Map.Entry<String, ModelConfig> e : NAMED.entrySet()) {
            if (e.getKey().equalsIgnoreCase(spec)) return e.getValue();
        }
        if (!spec.contains("=")) throw new IllegalArgumentException("unknown shape '" + spec + "' (known: " + String.join(", ", NAMED.keySet()) + ", or dim=…,hidden=…,layers=…,heads=…,kv=…,vocab=…,seq=…)");
        Map<String, String> kv = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] p = part.split("=", 2);
            if (p.length != 2) throw new IllegalArgumentException("bad shape part '" + part + "' (want key=value)");
            kv.put(p[0].trim().toLowerCase(Locale.ROOT), p[1].trim());
        }
        int heads = num(kv, "heads", null);
        ModelConfig c = new ModelConfig(num(kv, "dim", null), num(kv, "hidden", null), num(kv, "layers", null), heads,
                num(kv, "kv", heads), num(kv, "vocab", null), num(kv, "seq", null),
                !"false".equalsIgnoreCase(kv.getOrDefault("shared", "true")));
        kv.keySet().removeAll(java.util.Set.of("dim", "hidden", "layers", "heads", "kv", "vocab", "seq", "shared"));
        if (!kv.isEmpty()) throw new IllegalArgumentException("unknown shape keys " + kv.keySet());
        return c;
    }

    private static int num(Map<String, String> kv, String key, Integer dflt) {
        String v = kv.get(key);
        if (v == null) {
            if (dflt == null) throw new IllegalArgumentException("the shape needs " + key + "=…");
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("shape " + key + "=" + v + " is not a whole number");
        }
    }
}
