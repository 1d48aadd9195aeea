package dev.llamascope.app.ui.inspect;

/** The short paragraphs beside each view: what a student is looking at. */
final class Explanations {
    private Explanations() {}

    static final String HEATMAP = "Each row is a token of your text asking “which tokens before me matter?”; each column is a "
            + "token that can be looked at. A cell's colour is the attention weight: the share of the row token's update that "
            + "comes from the column token's value vector. Every row sums to 1 (it is a softmax). The grey upper triangle is "
            + "the causal mask: a token may look only at itself and at earlier tokens. A bright diagonal means “look at "
            + "myself”, a bright first column “look at the start” (where heads with nothing to do rest), a line just below "
            + "the diagonal “look at the previous token”. Hover a cell for the pair and its weight; Ctrl + wheel zooms.";

    static final String GRID = "Every head of every layer at once (bertviz's model view). Layers run from the input (top) to "
            + "the output (bottom); heads run left to right. Heads of one layer read the same input in parallel and often "
            + "specialise: one looks at the previous token, one at the first token, one at an earlier copy of the same word. "
            + "A pixel shows the strongest weight among the cells it covers, so thin patterns survive the shrinking. "
            + "Click a thumbnail to open it.";

    static final String HEAD_VIEW = "The text twice: queries on the left, keys on the right. Hover a token on the left to see "
            + "which tokens it takes information from, one line per head, as opaque as the weight; hover a token on the right "
            + "to see which later tokens take information from it. Click a token to keep its lines. The shaded tokens on the "
            + "other side are the ones with the strongest weight.";

    static final String STEPS = "How one head computes its weights. (1) Every query q_i meets every key k_j in a dot product, "
            + "divided by √d (d = head size) so the numbers do not grow with d: the scores, shown for every pair, also the "
            + "later tokens the model never uses. (2) The causal mask sets the scores of later tokens to −∞: while the model "
            + "writes token i it has not seen what follows. (3) Softmax turns each row into positive weights that sum to 1; "
            + "e^−∞ = 0, so masked cells get nothing. Only differences within a row matter: adding one number to a whole row "
            + "leaves its softmax unchanged, so a row of deep-blue scores can still give one sharp weight. Queries and keys "
            + "are taken after RoPE, which rotates them by their positions, so the scores also depend on how far apart two "
            + "tokens are.";

    static final String NOT_EXPLANATION = "Attention is not an explanation. These weights show where a head moved "
            + "information from, not why the model predicted what it did: the value vectors it mixes can be tiny or cancel "
            + "out, the feed-forward blocks and later layers transform everything again, and quite different attention "
            + "patterns can give the same prediction (Jain & Wallace 2019; Wiegreffe & Pinter 2019). Read a pattern as a "
            + "question to test, not as a reason.";

    static final String PROBABILITIES = "At every position the model gives every token of its vocabulary a probability, "
            + "the softmax of its logits: its guess for the next token. Each row shows the most likely candidates with bars; "
            + "the token that really comes next in your text is highlighted (with its probability and rank, also when it is "
            + "not among the candidates). Entropy measures how unsure the model is, in bits: 0 = certain of one token, "
            + "1 = a coin flip between two, log₂ of the vocabulary size = no idea at all. Low probability on the real next "
            + "token is where the text surprised the model.";

    static final String LENS = "What if the model stopped early? The logit lens applies the model's final RMSNorm and "
            + "classifier to the residual stream after each layer (and to the bare token embedding) and shows the most "
            + "likely next token there, coloured by its probability. The bottom row is the model's real output. Outlined "
            + "cells already predict the final answer; the thick outline starts at the layer from which the answer stays. "
            + "Early rows tend to echo the input token; the answer usually appears in the later layers. It is a lens, not "
            + "ground truth: the middle layers were never trained to be read this way.";

    static final String ARCHITECTURE = "The model as the computation it runs for every token, with the real shapes of this "
            + "checkpoint's tensors (rows × columns = outputs × inputs). A token's embedding row starts the residual stream; "
            + "each layer reads it through an RMSNorm, lets attention move information between positions, adds the result "
            + "back, then runs a SwiGLU feed-forward block on each position on its own and adds that back too. The final "
            + "RMSNorm and the classifier turn the last residual into one logit per vocabulary token. Click a block: its "
            + "weights (blue negative, red positive) with statistics, and its output for your text, one row per token.";
}
