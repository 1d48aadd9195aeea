package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tokenizer.Tokenizer.TokenType;
import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a Hugging Face {@code tokenizer.json} for the vocabulary, shaped as Llama's: a BPE model with byte
 * fallback, a normalizer that prepends U+2581 and turns spaces into it, no pre-tokenizer, BOS added in front, and
 * a decoder that undoes all that.
 *
 * <p>Merges are derived from the scores as Hugging Face's SentencePiece converter does: every way a piece splits
 * into two pieces of the vocabulary is a merge, ranked by the merged piece's score (then by the halves' ids). A
 * BPE that applies merges by rank then matches the score-ordered encoder, which merges any adjacent pair whose
 * concatenation is a piece, best score first.
 */
public final class HfTokenizerJsonWriter {
    private HfTokenizerJsonWriter() {}

    public static Map<String, Object> build(TrainedVocabulary v) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("version", "1.0");
        root.put("truncation", null);
        root.put("padding", null);
        List<Object> added = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("id", i);
            t.put("content", v.pieces().get(i));
            t.put("single_word", false);
            t.put("lstrip", false);
            t.put("rstrip", false);
            t.put("normalized", false);
            t.put("special", true);
            added.add(t);
        }
        root.put("added_tokens", added);
        root.put("normalizer", Map.of("type", "Sequence", "normalizers", List.of(
                ordered("type", "Prepend", "prepend", "\u2581"),
                ordered("type", "Replace", "pattern", Map.of("String", " "), "content", "\u2581"))));
        root.put("pre_tokenizer", null);
        Map<String, Object> bos = ordered("SpecialToken", ordered("id", "<s>", "type_id", 0));
        root.put("post_processor", ordered(
                "type", "TemplateProcessing",
                "single", List.of(bos, ordered("Sequence", ordered("id", "A", "type_id", 0))),
                "pair", List.of(bos, ordered("Sequence", ordered("id", "A", "type_id", 0)),
                        ordered("SpecialToken", ordered("id", "<s>", "type_id", 1)),
                        ordered("Sequence", ordered("id", "B", "type_id", 1))),
                "special_tokens", Map.of("<s>", ordered("id", "<s>", "ids", List.of(1), "tokens", List.of("<s>")))));
        root.put("decoder", ordered("type", "Sequence", "decoders", List.of(
                ordered("type", "Replace", "pattern", Map.of("String", "\u2581"), "content", " "),
                Map.of("type", "ByteFallback"),
                Map.of("type", "Fuse"),
                ordered("type", "Strip", "content", " ", "start", 1, "stop", 0))));
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("dropout", null);
        model.put("unk_token", "<unk>");
        model.put("continuing_subword_prefix", null);
        model.put("end_of_word_suffix", null);
        model.put("fuse_unk", true);
        model.put("byte_fallback", v.config().byteFallback());
        model.put("ignore_merges", false);
        Map<String, Object> vocab = new LinkedHashMap<>();
        for (int i = 0; i < v.size(); i++) vocab.put(v.pieces().get(i), i);
        model.put("vocab", vocab);
        model.put("merges", merges(v));
        root.put("model", model);
        return root;
    }

    /** "left right" merges, best first (see the class comment). */
    public static List<String> merges(TrainedVocabulary v) {
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < v.size(); i++) if (v.types()[i] == TokenType.NORMAL) ids.put(v.pieces().get(i), i);
        List<int[]> found = new ArrayList<>(); // {merged id, left id, right id}
        for (int i = 0; i < v.size(); i++) {
            if (v.types()[i] != TokenType.NORMAL) continue;
            String p = v.pieces().get(i);
            for (int k = p.offsetByCodePoints(0, 1); k < p.length(); k = p.offsetByCodePoints(k, 1)) {
                Integer l = ids.get(p.substring(0, k)), r = ids.get(p.substring(k));
                if (l != null && r != null) found.add(new int[]{i, l, r});
            }
        }
        found.sort((x, y) -> {
            int c = Float.compare(v.scores()[y[0]], v.scores()[x[0]]);
            if (c != 0) return c;
            c = Integer.compare(x[1], y[1]);
            return c != 0 ? c : Integer.compare(x[2], y[2]);
        });
        List<String> out = new ArrayList<>(found.size());
        for (int[] m : found) out.add(v.pieces().get(m[1]) + " " + v.pieces().get(m[2]));
        return out;
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    public static void write(Path file, TrainedVocabulary v) throws IOException {
        AtomicFiles.writeString(file, Json.write(build(v)));
    }
}
