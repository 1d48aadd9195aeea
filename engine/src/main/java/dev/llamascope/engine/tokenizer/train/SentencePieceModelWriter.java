package dev.llamascope.engine.tokenizer.train;

import dev.llamascope.engine.tokenizer.Tokenizer.TokenType;
import dev.llamascope.engine.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes {@code tokenizer.model}: SentencePiece's ModelProto (sentencepiece_model.proto) with the pieces, their
 * scores and types, the trainer settings that describe how it was made, and Llama's normalizer ("identity", a
 * dummy prefix, spaces kept as they are), so that SentencePiece, Hugging Face's converters and llama.cpp read it
 * as a Llama-style BPE model.
 */
public final class SentencePieceModelWriter {
    private SentencePieceModelWriter() {}

    // ModelProto.SentencePiece.Type
    private static int typeCode(TokenType t) {
        return switch (t) {
            case NORMAL -> 1;
            case UNKNOWN -> 2;
            case CONTROL -> 3;
            case USER_DEFINED -> 4;
            case UNUSED -> 5;
            case BYTE -> 6;
        };
    }

    public static byte[] encode(TrainedVocabulary v, String inputName) {
        ProtoWriter model = new ProtoWriter();
        for (int i = 0; i < v.size(); i++) {
            ProtoWriter piece = new ProtoWriter().string(1, v.pieces().get(i)).floatField(2, v.scores()[i]);
            if (v.types()[i] != TokenType.NORMAL) piece.varint(3, typeCode(v.types()[i]));
            model.message(1, piece);
        }
        BpeTrainingConfig c = v.config();
        ProtoWriter trainer = new ProtoWriter()
                .string(1, inputName)            // input
                .string(2, "tokenizer")          // model_prefix
                .varint(3, 2)                    // model_type = BPE
                .varint(4, v.size())             // vocab_size
                .varint(6, 0)                    // self_test_sample_size
                .string(7, "text")               // input_format
                .floatField(10, (float) v.characterCoverage())
                .varint(18, 4192)                // max_sentence_length
                .varint(20, c.maxPieceLength())  // max_sentencepiece_length
                .bool(21, true)                  // split_by_unicode_script
                .bool(22, true)                  // split_by_whitespace
                .bool(23, true)                  // split_by_number
                .bool(24, false)                 // treat_whitespace_as_suffix
                .bool(25, c.splitDigits())       // split_digits
                .bool(26, true)                  // allow_whitespace_only_pieces
                .bool(32, true)                  // vocabulary_output_piece_score
                .bool(33, true)                  // hard_vocab_limit
                .bool(34, false)                 // use_all_vocab
                .bool(35, c.byteFallback())      // byte_fallback
                .varint(40, 0)                   // unk_id
                .varint(41, 1)                   // bos_id
                .varint(42, 2)                   // eos_id
                .varint(43, -1)                  // pad_id: none
                .string(44, " \u2047 ")          // unk_surface
                .string(45, "<unk>")
                .string(46, "<s>")
                .string(47, "</s>")
                .string(48, "<pad>");
        model.message(2, trainer);
        ProtoWriter normalizer = new ProtoWriter()
                .string(1, "identity")
                .bytes(2, new byte[0])           // precompiled_charsmap: none for identity
                .bool(3, true)                   // add_dummy_prefix
                .bool(4, false)                  // remove_extra_whitespaces
                .bool(5, true);                  // escape_whitespaces
        model.message(3, normalizer);
        return model.toByteArray();
    }

    public static void write(Path file, TrainedVocabulary v, String inputName) throws IOException {
        byte[] b = encode(v, inputName);
        AtomicFiles.write(file, out -> out.write(b));
    }
}
