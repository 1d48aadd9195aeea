package dev.llamascope.engine.tokenizer;

import dev.llamascope.engine.model.ModelFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SentencePiece's tokenizer.model (a protobuf ModelProto) with our own protobuf reader: the pieces (text with
 * U+2581 for spaces, score, type), the trainer spec (model type, unk/bos/eos ids) and the normalizer spec
 * (add_dummy_prefix). Only BPE models are accepted: unigram models tokenize by a different algorithm. The
 * normalization rules a model may carry (e.g. nmt_nfkc, remove_extra_whitespaces) are not applied, like llama2.c's
 * tokenizer.bin export of the same model, so both files tokenize alike.
 */
public final class SentencePieceModel {
    private static final int UNIGRAM = 1, BPE = 2;

    private SentencePieceModel() {}

    /** True for bytes that look like a ModelProto: field 1 (pieces), length-delimited, holding field 1 (piece). */
    public static boolean looksLike(byte[] head, int n) {
        if (n < 4 || head[0] != 0x0A) return false;
        int i = 1;
        long len = 0;
        for (int shift = 0; i < n && shift < 35; shift += 7) {
            int b = head[i++] & 0xff;
            len |= (long) (b & 0x7f) << shift;
            if (b < 0x80) break;
        }
        return len > 0 && i < n && head[i] == 0x0A;
    }

    public static Tokenizer read(Path file) throws IOException, ModelFormatException {
        long size = Files.size(file);
        if (size > (1L << 30)) throw new ModelFormatException(file, "is " + size + " bytes, far too large for a tokenizer.model");
        byte[] b = Files.readAllBytes(file);
        try {
            return parse(file, b);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "not a valid SentencePiece model: " + e.getMessage());
        }
    }

    static Tokenizer parse(Path file, byte[] b) throws ModelFormatException {
        List<String> pieces = new ArrayList<>();
        List<Float> scores = new ArrayList<>();
        List<Long> types = new ArrayList<>();
        int modelType = UNIGRAM, unk = 0, bos = 1, eos = 2;
        boolean dummyPrefix = true;
        ProtoReader r = new ProtoReader(b, 0, b.length);
        while (r.next()) {
            if (r.field == 1 && r.wireType == ProtoReader.LEN) {
                ProtoReader p = r.message();
                String piece = "";
                float score = 0f;
                long type = 1;
                while (p.next()) {
                    if (p.field == 1 && p.wireType == ProtoReader.LEN) piece = p.string();
                    else if (p.field == 2 && p.wireType == ProtoReader.FIXED32) score = p.fixed32Float();
                    else if (p.field == 3 && p.wireType == ProtoReader.VARINT) type = p.varint();
                    else p.skip();
                }
                pieces.add(piece);
                scores.add(score);
                types.add(type);
            } else if (r.field == 2 && r.wireType == ProtoReader.LEN) {
                ProtoReader t = r.message();
                while (t.next()) {
                    if (t.wireType != ProtoReader.VARINT) {
                        t.skip();
                        continue;
                    }
                    long v = t.varint();
                    switch (t.field) {
                        case 3 -> modelType = (int) v;
                        case 40 -> unk = (int) v;
                        case 41 -> bos = (int) v;
                        case 42 -> eos = (int) v;
                        default -> { }
                    }
                }
            } else if (r.field == 3 && r.wireType == ProtoReader.LEN) {
                ProtoReader t = r.message();
                while (t.next()) {
                    if (t.field == 3 && t.wireType == ProtoReader.VARINT) dummyPrefix = t.varint() != 0;
                    else t.skip();
                }
            } else {
                r.skip();
            }
        }
        int n = pieces.size();
        if (n < 3) throw new ModelFormatException(file, "not a SentencePiece model (" + n + " pieces)");
        if (modelType != BPE)
            throw new ModelFormatException(file, "is a SentencePiece " + (modelType == UNIGRAM ? "unigram" : "type " + modelType)
                    + " model; only BPE models (as Llama's) are supported");
        if (unk < 0 || unk >= n) unk = 0;
        if (bos < 0 || bos >= n) bos = find(pieces, types, "<s>", 1);
        if (eos < 0 || eos >= n) eos = find(pieces, types, "</s>", 2);
        float[] s = new float[n];
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            s[i] = scores.get(i);
            t[i] = types.get(i);
        }
        return SentencePieces.build(file.getFileName().toString(), pieces.toArray(String[]::new),
                s, t, bos, eos, unk, dummyPrefix);
    }

    private static int find(List<String> pieces, List<Long> types, String piece, int dflt) {
        for (int i = 0; i < pieces.size(); i++) if (pieces.get(i).equals(piece) && types.get(i) == 3) return i;
        return dflt;
    }
}
