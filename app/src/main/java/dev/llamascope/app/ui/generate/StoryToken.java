package dev.llamascope.app.ui.generate;

/**
 * One token of the story as the view shows it.
 *
 * @param pos    its position in the sequence (BOS is position 0, so the first shown token is 1)
 * @param id     the token id
 * @param text   the characters it completes ("" for the first bytes of a character spread over byte tokens)
 * @param prompt whether it came from the prompt rather than from the model
 * @param odds   its probability and the alternatives, or null for prompt tokens
 */
public record StoryToken(int pos, int id, String text, boolean prompt, TokenOdds odds) {
    /** The probability of this token, NaN when unknown (prompt tokens). */
    public float probability() {
        return odds == null ? Float.NaN : odds.chosen();
    }
}
