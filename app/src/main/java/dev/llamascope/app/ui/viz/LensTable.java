package dev.llamascope.app.ui.viz;

/**
 * The data of a {@link LogitLensGrid}: rows are depths (the embedding, then each layer), columns are positions;
 * each cell holds the token that depth would predict next and its probability.
 */
public interface LensTable {
    int rows();

    int cols();

    /** "embedding", "layer 0", ... */
    String rowLabel(int r);

    /** The input token at a position. */
    String colLabel(int c);

    /** The top token at a depth and position. */
    String cellText(int r, int c);

    /** Its probability. */
    float cellProb(int r, int c);

    /** Whether the top token here is the model's final prediction at this position. */
    boolean isFinal(int r, int c);

    /** The first row from which every row down to the last predicts the final token. */
    int settledRow(int c);

    /** Longer text for hovering a cell. */
    String hover(int r, int c);
}
