package dev.llamascope.engine.tokenizer;

import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face tokenizer.json for Llama-style vocabularies: a BPE model with byte fallback whose merges decide the
 * order of merging, SentencePiece's U+2581 for spaces, and a leading space added either by the normalizer
 * (Prepend "▁" then Replace " " by "▁", as Llama-2's file) or by a Metaspace pre-tokenizer. Added tokens give the
 * special ids. Byte-level BPE files (GPT-2, Llama 3) and other normalizers are refused with a message rather than
 * tokenized differently from the library. Text is not split at special tokens (as run.c and llama.cpp by default).
 */
public final class HfTokenizerJson {
    private HfTokenizerJson() {}

    /** True when the first non-blank byte is '{'. */
    public static boolean looksLike(byte[] head, int n) {
        for (int i = 0; i < n; i++) {
            byte b = head[i];
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') continue;
            return b == '{';
        }
        return false;
    }

    public static Tokenizer read(Path file) throws IOException, ModelFormatException {
        long size = Files.size(file);
        if (size > (1L << 30)) throw new ModelFormatException(file, "is " + size + " bytes, far too large for a tokenizer.json");
        Map<String, Object> root;
        try {
            root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (Json.JsonException | java.nio.charset.MalformedInputException e) {
            throw new ModelFormatException(file, "not valid JSON: " + e.getMessage());
        }
        try {
            Path config = file.toAbsolutePath().getParent() == null ? null : file.toAbsolutePath().getParent().resolve("tokenizer_config.json");
            Map<String, Object> cfg = null;
            if (config != null && Files.isRegularFile(config)) {
                try {
                    cfg = Json.parseObject(Files.readString(config, StandardCharsets.UTF_8));
                } catch (Json.JsonException e) {
                    throw new ModelFormatException(config, "not valid JSON: " + e.getMessage());
                }
            }
            return parse(file, root, cfg);
        } catch (ClassCastException | NullPointerException | ArithmeticException e) {
            throw new ModelFormatException(file, "unexpected tokenizer.json structure (" + e.getMessage() + ")");
        }
    }

    @SuppressWarnings("unchecked")
    static Tokenizer parse(Path file, Map<String, Object> root, Map<String, Object> cfg) throws ModelFormatException {
        Map<String, Object> model = (Map<String, Object>) root.get("model");
        if (model == null) throw new ModelFormatException(file, "has no \"model\" section");
        String type = Json.string(model, "type", "BPE");
        if (!type.equals("BPE")) throw new ModelFormatException(file, "is a " + type + " tokenizer; only BPE (as Llama's) is supported");
        boolean dummyPrefix = checkPipeline(file, root);
        Map<String, Object> vocab = (Map<String, Object>) model.get("vocab");
        List<Object> mergeList = (List<Object>) model.get("merges");
        if (vocab == null || mergeList == null) throw new ModelFormatException(file, "the BPE model lacks its vocab or merges");
        boolean byteFallback = Json.bool(model, "byte_fallback", false);
        String unkToken = Json.string(model, "unk_token", null);
        List<Object> added = root.get("added_tokens") instanceof List<?> l ? (List<Object>) l : List.of();

        int n = 0;
        for (Object id : vocab.values()) n = Math.max(n, Math.toIntExact((Long) id) + 1);
        for (Object a : added) n = Math.max(n, Math.toIntExact(Json.integer((Map<String, Object>) a, "id", -1)) + 1);
        if (n < 3 || n > (1 << 22)) throw new ModelFormatException(file, "implausible vocabulary size " + n);
        String[] pieces = new String[n];
        long[] types = new long[n];
        java.util.Arrays.fill(types, 5); // unused until named
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : vocab.entrySet()) {
            int id = Math.toIntExact((Long) e.getValue());
            if (id < 0) throw new ModelFormatException(file, "negative id for '" + e.getKey() + "'");
            pieces[id] = e.getKey();
            ids.put(e.getKey(), id);
            types[id] = byteFallback && SentencePieces.hexByte(e.getKey()) >= 0 ? 6 : 1;
        }
        for (Object o : added) {
            Map<String, Object> a = (Map<String, Object>) o;
            int id = Math.toIntExact(Json.integer(a, "id", -1));
            String content = Json.string(a, "content", "");
            if (id < 0) throw new ModelFormatException(file, "added token '" + content + "' has no id");
            pieces[id] = content;
            types[id] = Json.bool(a, "special", false) ? 3 : 4;
            ids.putIfAbsent(content, id);
        }
        for (int i = 0; i < n; i++) if (pieces[i] == null) pieces[i] = "<unused" + i + ">";
        int unk = unkToken != null && ids.containsKey(unkToken) ? ids.get(unkToken) : 0;
        types[unk] = 2;
        int bos = specialId(cfg, "bos_token", ids, "<s>", 1), eos = specialId(cfg, "eos_token", ids, "</s>", 2);

        int[][] merges = new int[mergeList.size()][];
        float[] scores = new float[n];
        for (int r = 0; r < merges.length; r++) {
            String a, b;
            Object m = mergeList.get(r);
            if (m instanceof String s) {
                int sp = s.indexOf(' ', 1);
                if (sp < 0) throw new ModelFormatException(file, "merge " + r + " '" + s + "' is not two pieces");
                a = s.substring(0, sp);
                b = s.substring(sp + 1);
            } else {
                List<Object> pair = (List<Object>) m;
                a = (String) pair.get(0);
                b = (String) pair.get(1);
            }
            Integer ia = ids.get(a), ib = ids.get(b), im = ids.get(a + b);
            if (ia == null || ib == null || im == null)
                throw new ModelFormatException(file, "merge " + r + " ('" + a + "', '" + b + "') names a piece that is not in the vocabulary");
            merges[r] = new int[]{ia, ib};
            if (scores[im] == 0f) scores[im] = -(r + 1); // a score order equal to the merge order, for exports
        }
        Tokenizer base = SentencePieces.build(file.getFileName().toString(), pieces, scores, types, bos, eos, unk, dummyPrefix);
        byte[][] bytes = new byte[n][];
        Tokenizer.TokenType[] tt = new Tokenizer.TokenType[n];
        int[] byteValues = new int[n];
        for (int i = 0; i < n; i++) {
            bytes[i] = base.pieceBytes(i);
            tt[i] = base.type(i);
            byteValues[i] = base.type(i) == Tokenizer.TokenType.BYTE ? base.byteValue(i) : -1;
        }
        return new Tokenizer(base.name(), bytes, scores, tt, byteValues, bos, eos, unk, dummyPrefix, merges);
    }

    @SuppressWarnings("unchecked")
    private static int specialId(Map<String, Object> cfg, String key, Map<String, Integer> ids, String dflt, int dfltId) {
        Object v = cfg == null ? null : cfg.get(key);
        if (v instanceof Map<?, ?> m) v = ((Map<String, Object>) m).get("content");
        if (v instanceof String s && ids.containsKey(s)) return ids.get(s);
        return ids.getOrDefault(dflt, dfltId);
    }

    /** Checks the normalizer and pre-tokenizer are Llama's; returns whether a leading space is added. */
    @SuppressWarnings("unchecked")
    private static boolean checkPipeline(Path file, Map<String, Object> root) throws ModelFormatException {
        boolean prefix = false;
        for (Map<String, Object> step : steps(root.get("normalizer"))) {
            String t = Json.string(step, "type", "");
            switch (t) {
                case "Prepend" -> {
                    if (!SentencePieces.SPACE_MARK.equals(step.get("prepend")))
                        throw new ModelFormatException(file, "normalizer Prepend of '" + step.get("prepend") + "' is not supported");
                    prefix = true;
                }
                case "Replace" -> {
                    Object pattern = step.get("pattern");
                    Object s = pattern instanceof Map<?, ?> pm ? ((Map<String, Object>) pm).get("String") : null;
                    if (!" ".equals(s) || !SentencePieces.SPACE_MARK.equals(step.get("content")))
                        throw new ModelFormatException(file, "normalizer Replace other than ' ' -> '\u2581' is not supported");
                }
                case "NFC", "NFKC", "NFD", "NFKD", "Lowercase", "Strip", "StripAccents", "Precompiled", "BertNormalizer" ->
                        throw new ModelFormatException(file, "normalizer " + t + " is not supported (only Llama's Prepend/Replace)");
                default -> throw new ModelFormatException(file, "unknown normalizer '" + t + "'");
            }
        }
        for (Map<String, Object> step : steps(root.get("pre_tokenizer"))) {
            String t = Json.string(step, "type", "");
            if (t.equals("ByteLevel")) throw new ModelFormatException(file, "is a byte-level BPE tokenizer (GPT-2/Llama 3 style), which is not supported");
            if (!t.equals("Metaspace")) throw new ModelFormatException(file, "pre-tokenizer " + t + " is not supported (only Metaspace)");
            if (Json.bool(step, "split", false))
                throw new ModelFormatException(file, "Metaspace with split=true (merges stop at spaces) is not supported");
            String scheme = Json.string(step, "prepend_scheme", Json.bool(step, "add_prefix_space", true) ? "always" : "never");
            prefix |= !scheme.equals("never");
        }
        return prefix;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> steps(Object o) {
        if (!(o instanceof Map<?, ?> m)) return List.of();
        Map<String, Object> map = (Map<String, Object>) m;
        if ("Sequence".equals(map.get("type"))) {
            Object inner = map.containsKey("normalizers") ? map.get("normalizers") : map.get("pretokenizers");
            List<Map<String, Object>> r = new ArrayList<>();
            if (inner instanceof List<?> l) for (Object x : l) r.addAll(steps(x));
            return r;
        }
        return List.of(map);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Writing

    /** A tokenizer.json (Llama-2 layout) for any tokenizer; merges are its own or derived from the scores. */
    public static String write(Tokenizer t) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            Tokenizer.TokenType ty = t.type(i);
            if (ty == Tokenizer.TokenType.CONTROL || ty == Tokenizer.TokenType.UNKNOWN || ty == Tokenizer.TokenType.USER_DEFINED) {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("id", (long) i);
                a.put("content", new String(t.pieceBytes(i), StandardCharsets.UTF_8));
                a.put("single_word", false);
                a.put("lstrip", false);
                a.put("rstrip", false);
                a.put("normalized", ty == Tokenizer.TokenType.USER_DEFINED);
                a.put("special", ty != Tokenizer.TokenType.USER_DEFINED);
                added.add(a);
            }
        }
        root.put("added_tokens", added);
        List<Object> norms = new ArrayList<>();
        if (t.addDummyPrefix()) norms.add(Map.of("type", "Prepend", "prepend", SentencePieces.SPACE_MARK));
        norms.add(map("type", "Replace", "pattern", Map.of("String", " "), "content", SentencePieces.SPACE_MARK));
        root.put("normalizer", map("type", "Sequence", "normalizers", norms));
        root.put("pre_tokenizer", null);
        String bos = SentencePieces.piece(t, t.bos());
        root.put("post_processor", map("type", "TemplateProcessing",
                "single", List.of(Map.of("SpecialToken", map("id", bos, "type_id", 0L)), Map.of("Sequence", map("id", "A", "type_id", 0L))),
                "pair", List.of(Map.of("SpecialToken", map("id", bos, "type_id", 0L)), Map.of("Sequence", map("id", "A", "type_id", 0L)),
                        Map.of("SpecialToken", map("id", bos, "type_id", 1L)), Map.of("Sequence", map("id", "B", "type_id", 1L))),
                "special_tokens", Map.of(bos, map("id", bos, "ids", List.of((long) t.bos()), "tokens", List.of(bos)))));
        List<Object> decoders = new ArrayList<>();
        decoders.add(map("type", "Replace", "pattern", Map.of("String", SentencePieces.SPACE_MARK), "content", " "));
        decoders.add(Map.of("type", "ByteFallback"));
        decoders.add(Map.of("type", "Fuse"));
        if (t.addDummyPrefix()) decoders.add(map("type", "Strip", "content", " ", "start", 1L, "stop", 0L));
        root.put("decoder", map("type", "Sequence", "decoders", decoders));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", SentencePieces.piece(t, t.unk()));
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", true);
        model.put("byte_fallback", t.hasByteFallback());
        model.put("ignore_merges", false);
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int i = 0; i < t.size(); i++) vocab.putIfAbsent(SentencePieces.piece(t, i), (long) i);
        model.put("vocab", vocab);
        List<Object> merges = new ArrayList<>();
        for (int[] m : mergesOf(t)) merges.add(SentencePieces.piece(t, m[0]) + " " + SentencePieces.piece(t, m[1]));
        model.put("merges", merges);
        root.put("model", model);
        return Json.write(root);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /**
     * The tokenizer's merge list, or one derived from its scores: every split of a mergeable piece into two pieces
     * of the vocabulary, ordered by the score of the merged piece (highest first), so that rank order = score order.
     */
    static List<int[]> mergesOf(Tokenizer t) {
        int[][] own = t.merges();
        if (own != null) return List.of(own);
        List<int[]> r = new ArrayList<>(); // {left, right, merged, split}
        for (int id = 0; id < t.size(); id++) {
            Tokenizer.TokenType ty = t.type(id);
            if (ty != Tokenizer.TokenType.NORMAL && ty != Tokenizer.TokenType.USER_DEFINED) continue;
            String p = new String(t.pieceBytes(id), StandardCharsets.UTF_8);
            for (int i = p.offsetByCodePoints(0, 1); i < p.length(); i = p.offsetByCodePoints(i, 1)) {
                int a = t.id(p.substring(0, i)), b = t.id(p.substring(i));
                if (a >= 0 && b >= 0) r.add(new int[]{a, b, id, i});
            }
        }
        r.sort(Comparator.<int[]>comparingDouble(m -> -t.score(m[2])).thenComparingInt(m -> m[2]).thenComparingInt(m -> m[3]));
        return r;
    }
}
