package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.settings.GenerationPrefs;
import dev.llamascope.engine.inference.SamplerSettings;
import java.util.concurrent.ThreadLocalRandom;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;

/**
 * The sampling knobs of the Generate pane, bound two-way to its form controls (they are the user's input, so they
 * are writable), turned into the engine's {@link SamplerSettings} when a generation starts. FX thread only.
 */
public final class SamplingKnobs {
    /** The repetition penalty looks at this many recent tokens (llama.cpp's default). */
    public static final int REPEAT_WINDOW = 64;

    final DoubleProperty temperature = new SimpleDoubleProperty(this, "temperature");
    final DoubleProperty topP = new SimpleDoubleProperty(this, "topP");
    final IntegerProperty topK = new SimpleIntegerProperty(this, "topK");
    final DoubleProperty minP = new SimpleDoubleProperty(this, "minP");
    final DoubleProperty repeatPenalty = new SimpleDoubleProperty(this, "repeatPenalty");
    final LongProperty seed = new SimpleLongProperty(this, "seed");
    final IntegerProperty maxTokens = new SimpleIntegerProperty(this, "maxTokens");
    final BooleanProperty colourTokens = new SimpleBooleanProperty(this, "colourTokens");

    public SamplingKnobs(GenerationPrefs p) {
        temperature.set(p.temperature());
        topP.set(p.topP());
        topK.set(p.topK());
        minP.set(p.minP());
        repeatPenalty.set(p.repeatPenalty());
        seed.set(p.seed());
        maxTokens.set(p.maxTokens());
        colourTokens.set(p.colourTokens());
    }

    public DoubleProperty temperatureProperty() {
        return temperature;
    }

    public DoubleProperty topPProperty() {
        return topP;
    }

    public IntegerProperty topKProperty() {
        return topK;
    }

    public DoubleProperty minPProperty() {
        return minP;
    }

    public DoubleProperty repeatPenaltyProperty() {
        return repeatPenalty;
    }

    public LongProperty seedProperty() {
        return seed;
    }

    public IntegerProperty maxTokensProperty() {
        return maxTokens;
    }

    public BooleanProperty colourTokensProperty() {
        return colourTokens;
    }

    public void apply(Preset p) {
        temperature.set(p.temperature);
        topP.set(p.topP);
        topK.set(p.topK);
        minP.set(p.minP);
        repeatPenalty.set(p.repeatPenalty);
    }

    /** The preset the knobs match now, or null when they are custom. */
    public Preset matchingPreset() {
        for (Preset p : Preset.values()) if (p.matches(this)) return p;
        return null;
    }

    /** A fresh seed, small enough to read and type (any positive number works). */
    public void newSeed() {
        seed.set(ThreadLocalRandom.current().nextLong(1, 1_000_000_000L));
    }

    /**
     * The engine's settings. Slider values are rounded to the precision the form shows (0.01), so a knob set to
     * 0.8 is 0.8f exactly, as run.c's -t 0.8.
     */
    public SamplerSettings toSettings() {
        return new SamplerSettings(round2(temperature.get()), round2(topP.get()), topK.get(), round2(minP.get()),
                round2(repeatPenalty.get()), REPEAT_WINDOW, seed.get());
    }

    private static float round2(double v) {
        return (float) (Math.round(v * 100) / 100.0);
    }

    public GenerationPrefs toPrefs(int threads, String prompt) {
        return new GenerationPrefs(temperature.get(), topP.get(), topK.get(), minP.get(), repeatPenalty.get(), seed.get(),
                maxTokens.get(), threads, colourTokens.get(), prompt);
    }
}
