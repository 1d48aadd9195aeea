package dev.llamascope.app.ui;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What panes ask of each other without knowing each other (feature packages do not reach into one another): the
 * pane that can do a thing registers itself here when it is built, the others call it. FX thread only.
 */
public final class PaneLinks {
    /** Opens a model file as if the user had chosen it (the Models pane does it). */
    @FunctionalInterface
    public interface ModelOpener {
        /**
         * @param tokenizer null for the model's own, or tokenizer.bin beside it
         * @return completes (on the FX thread) when the model is loaded; fails with the one-line reason otherwise
         */
        CompletionStage<Void> open(Path model, Path tokenizer);
    }

    /** Shows a text in the Inspect pane and inspects it, cut to what the pane takes (the Inspect pane does it). */
    @FunctionalInterface
    public interface TextInspector {
        void inspect(String text);
    }

    /**
     * Opens the Train pane with a dataset chosen elsewhere (the Data pane's "train a model on this"), the format
     * already known so the user does not choose it twice (the Train pane does it).
     */
    @FunctionalInterface
    public interface TrainingHandOff {
        /**
         * @param data a dataset file the trainer reads (.u16 tokens, text, JSON/JSONL, an instruction format)
         * @param format the trainer's --format name for it ("auto" when unsure)
         * @param tokenizer the tokenizer the data was made with or for, or null for the model's own
         */
        void train(Path data, String format, Path tokenizer);
    }

    private ModelOpener modelOpener;
    private TextInspector inspector;
    private TrainingHandOff trainingHandOff;

    public void setModelOpener(ModelOpener opener) {
        this.modelOpener = opener;
    }

    public void setInspector(TextInspector inspector) {
        this.inspector = inspector;
    }

    public void setTrainingHandOff(TrainingHandOff handOff) {
        this.trainingHandOff = handOff;
    }

    public boolean canTrain() {
        return trainingHandOff != null;
    }

    /** Does nothing when there is no Train pane. */
    public void train(Path data, String format, Path tokenizer) {
        if (trainingHandOff != null) trainingHandOff.train(data, format, tokenizer);
    }

    public CompletionStage<Void> openModel(Path model, Path tokenizer) {
        if (modelOpener == null) return CompletableFuture.failedFuture(new IllegalStateException("no pane opens models"));
        return modelOpener.open(model, tokenizer);
    }

    public boolean canInspect() {
        return inspector != null;
    }

    /** Does nothing when there is no Inspect pane. */
    public void inspect(String text) {
        if (inspector != null) inspector.inspect(text);
    }
}
