package dev.llamascope.app.ui.generate;

/**
 * How likely the model found a token, in the classes the story is coloured by. The boundaries are chosen so that a
 * sampled story reads mostly as plain text and the surprising choices stand out. Each class has a style class
 * ({@code p-high} …) whose colour is a theme token.
 */
public enum Likelihood {
    HIGH("p-high", "likely (≥ 60%)"),
    MID("p-mid", "possible (30–60%)"),
    LOW("p-low", "unlikely (10–30%)"),
    VERY_LOW("p-vlow", "surprising (< 10%)"),
    UNKNOWN("p-unknown", "unknown");

    private final String styleClass;
    private final String label;

    Likelihood(String styleClass, String label) {
        this.styleClass = styleClass;
        this.label = label;
    }

    public static Likelihood of(float p) {
        if (Float.isNaN(p)) return UNKNOWN;
        if (p >= 0.6f) return HIGH;
        if (p >= 0.3f) return MID;
        if (p >= 0.1f) return LOW;
        return VERY_LOW;
    }

    public String styleClass() {
        return styleClass;
    }

    public String label() {
        return label;
    }
}
