package dev.llamascope.app.ui.generate;

/** Named sets of sampling knobs. Balanced is run.c's default sampler (temperature 0.8 would be -t 0.8 -p 0.9). */
public enum Preset {
    GREEDY("Greedy", 0.0, 0.9, 0, 0.0, 1.0),
    BALANCED("Balanced", 0.8, 0.9, 0, 0.0, 1.0),
    CREATIVE("Creative", 1.1, 0.95, 0, 0.05, 1.1);

    private final String label;
    final double temperature, topP, minP, repeatPenalty;
    final int topK;

    Preset(String label, double temperature, double topP, int topK, double minP, double repeatPenalty) {
        this.label = label;
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.minP = minP;
        this.repeatPenalty = repeatPenalty;
    }

    public String label() {
        return label;
    }

    /** Whether the knobs are set exactly as this preset sets them. */
    boolean matches(SamplingKnobs k) {
        return close(k.temperature.get(), temperature) && close(k.topP.get(), topP) && k.topK.get() == topK
                && close(k.minP.get(), minP) && close(k.repeatPenalty.get(), repeatPenalty);
    }

    private static boolean close(double a, double b) {
        return Math.abs(a - b) < 1e-6;
    }

    @Override
    public String toString() {
        return label;
    }
}
