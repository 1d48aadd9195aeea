package dev.llamascope.engine.train;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.LlamaModel;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelFormat;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.model.ModelShapes;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The model a training run starts from, with the tokenizer it brings when it brings one: a saved training state
 * (resume), a checkpoint file, a named or custom shape with random weights, or a model already loaded (the window's).
 * The weights are always a copy, so training never changes the model it started from. Shared by {@code train} and
 * the window's Train pane ({@link TrainSetup} takes it from here).
 *
 * @param tokenizer the model's own tokenizer, or null (none asked for, or none there)
 * @param state     the saved state a resumed run continues from, or null
 * @param origin    one line for logs: what is being trained
 */
public record TrainInit(FlatWeights weights, Tokenizer tokenizer, TrainState state, String origin) {

    public ModelConfig config() {
        return weights.config();
    }

    /** Continues a saved run (weights, moments, step and data position come from the folder). */
    public static TrainInit resume(Path stateFolder) throws IOException, ModelFormatException {
        TrainState s = TrainState.load(stateFolder);
        return new TrainInit(s.weights(), null, s, "resumed from " + stateFolder + " at step " + s.step());
    }

    /** {@code --init}: a checkpoint when a file exists at that path, else a shape ({@link ModelShapes#parse}). */
    public static TrainInit parse(String init, boolean wantTokenizer, long seed) throws IOException, ModelFormatException {
        if (Files.exists(Path.of(init))) return checkpoint(Path.of(init), wantTokenizer);
        ModelConfig c;
        try {
            c = ModelShapes.parse(init);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--init " + init + ": no such checkpoint file, and not a shape: " + e.getMessage());
        }
        return shape(c, seed);
    }

    /** A checkpoint in any format the loader reads, dequantized to fp32; its tokenizer when {@code wantTokenizer}. */
    public static TrainInit checkpoint(Path file, boolean wantTokenizer) throws IOException, ModelFormatException {
        ModelFormat f = ModelLoader.formatOf(file);
        try (LlamaModel m = f.load(file, LoadOptions.DEFAULT)) {
            FlatWeights w = FlatWeights.of(m);
            Tokenizer tok = wantTokenizer ? f.tokenizerFor(file, m) : null;
            return new TrainInit(w, tok, null, file + " (" + w.config() + ")");
        }
    }

    /** Random weights of a shape (N(0, 0.02) matrices, unit norms), from a seed. */
    public static TrainInit shape(ModelConfig c, long seed) {
        return new TrainInit(FlatWeights.random(c, seed), null, null, "random weights of shape " + c + " (seed " + seed + ")");
    }

    /** A copy of a model already in memory (the caller keeps it open while this runs), with its tokenizer. */
    public static TrainInit copyOf(LlamaModel model, Tokenizer tokenizer, String name) {
        FlatWeights w = FlatWeights.of(model);
        return new TrainInit(w, tokenizer, null, name + " (" + w.config() + ")");
    }

    /**
     * Whether a run needs a tokenizer: for samples, and for every kind of data but token files ({@code .u16},
     * {@code .bin}, {@code .tok} when the format is left to detection).
     */
    public static boolean needsTokenizer(DataFormat format, Path data, boolean samples) {
        if (samples) return true;
        if (format == DataFormat.TOKENS) return false;
        if (format != DataFormat.AUTO) return true;
        String n = data.getFileName().toString().toLowerCase(Locale.ROOT);
        return !(n.endsWith(".u16") || n.endsWith(".bin") || n.endsWith(".tok"));
    }
}
