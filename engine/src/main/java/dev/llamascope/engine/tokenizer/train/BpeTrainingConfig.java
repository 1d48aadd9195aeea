package dev.llamascope.engine.tokenizer.train;

/**
 * What a SentencePiece-style BPE training run should produce.
 *
 * @param vocabSize         total tokens: the 3 specials (&lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;), the 256 byte tokens when
 *                          {@code byteFallback}, the characters kept, and the learned merges
 * @param byteFallback      add the 256 "&lt;0xXX&gt;" byte tokens, so characters outside the vocabulary are spelled
 *                          as their UTF-8 bytes instead of becoming &lt;unk&gt;
 * @param characterCoverage the share of the text's characters (by count) the vocabulary must cover; the rarest
 *                          characters beyond it are dropped. {@link #AUTO_COVERAGE} picks SentencePiece's advice:
 *                          0.9995 for text that is mostly CJK, 1.0 otherwise
 * @param maxPieceLength    the longest piece in characters (SentencePiece's max_sentencepiece_length, 16)
 * @param splitDigits       every digit is its own piece, as llama2.c's and Llama's tokenizers do
 * @param heldOutFraction   the share of lines (chosen by a hash of their text, so reproducible) kept out of
 *                          training and used for the statistics
 */
public record BpeTrainingConfig(int vocabSize, boolean byteFallback, double characterCoverage, int maxPieceLength,
                                boolean splitDigits, double heldOutFraction) {

    public static final double AUTO_COVERAGE = -1;
    /** SentencePiece's default coverage for languages with a rich character set. */
    public static final double CJK_COVERAGE = 0.9995;
    /** Special tokens at ids 0, 1, 2. */
    public static final int SPECIALS = 3;
    public static final int BYTE_TOKENS = 256;

    public BpeTrainingConfig {
        if (vocabSize < SPECIALS + 1 || vocabSize > 1 << 20)
            throw new IllegalArgumentException("vocabulary size must be between 4 and " + (1 << 20) + ", got " + vocabSize);
        if (characterCoverage != AUTO_COVERAGE && !(characterCoverage > 0 && characterCoverage <= 1))
            throw new IllegalArgumentException("character coverage must be in (0, 1], got " + characterCoverage);
        if (maxPieceLength < 1 || maxPieceLength > 256)
            throw new IllegalArgumentException("max piece length must be between 1 and 256, got " + maxPieceLength);
        if (!(heldOutFraction >= 0 && heldOutFraction <= 0.5))
            throw new IllegalArgumentException("held-out fraction must be between 0 and 0.5, got " + heldOutFraction);
    }

    /** llama2.c's train_vocab.sh settings: split digits, pieces up to 16 characters, 1% held out. */
    public static BpeTrainingConfig of(int vocabSize, boolean byteFallback, double characterCoverage) {
        return new BpeTrainingConfig(vocabSize, byteFallback, characterCoverage, 16, true, 0.01);
    }

    public BpeTrainingConfig withHeldOutFraction(double f) {
        return new BpeTrainingConfig(vocabSize, byteFallback, characterCoverage, maxPieceLength, splitDigits, f);
    }

    /** Ids before the first character or merge. */
    public int reservedTokens() {
        return SPECIALS + (byteFallback ? BYTE_TOKENS : 0);
    }
}
