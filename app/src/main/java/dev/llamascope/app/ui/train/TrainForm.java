package dev.llamascope.app.ui.train;

import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataOrder;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.model.ModelShapes;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.LrSchedule;
import dev.llamascope.engine.train.TrainConfig;
import dev.llamascope.engine.train.TrainSetup;
import dev.llamascope.engine.train.Trainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * What the user sets up on the Train pane: the starting model, the data, the hyperparameters (as the text typed, so
 * a bad value can be shown and explained), the device and where checkpoints go. Every change re-validates: each
 * field has an error line (null when fine) and {@link #validProperty()} is true only when a run can start. The
 * defaults are a short fine-tune: batch 8 × seq 128, 200 steps, lr 5e-4 cosine to 5e-5 after 20 warmup steps.
 * FX thread only.
 */
public final class TrainForm {
    /** Where the weights come from. */
    public enum Start { LOADED_MODEL, NEW_SHAPE }

    /** The numeric fields, with their defaults. */
    public enum Knob {
        BATCH("Batch", "8"), SEQ("Sequence length", "128"), STEPS("Steps", "200"), LR("Learning rate", "5e-4"),
        WARMUP("Warmup steps", "20"), MIN_LR("Min learning rate", "5e-5"), WEIGHT_DECAY("Weight decay", "0.1"),
        GRAD_CLIP("Gradient clip", "1.0"), DROPOUT("Dropout", "0"), ACCUM("Accumulation", "1"), EVAL_EVERY("Eval every", "25"),
        HOLD_OUT("Held-out %", "10"), SAMPLE_EVERY("Sample every", "50"), SAVE_EVERY("Save every", "100"), SEED("Seed", "1337");

        public final String label, initial;

        Knob(String label, String initial) {
            this.label = label;
            this.initial = initial;
        }
    }

    /** Fields that are not numbers but can be wrong. */
    public enum Choice { MODEL, TOKENIZER, DATA, EVAL_FILE, OUTPUT }

    private final Map<Knob, StringProperty> text = new LinkedHashMap<>();
    private final Map<Knob, ReadOnlyStringWrapper> knobErrors = new LinkedHashMap<>();
    private final Map<Choice, ReadOnlyStringWrapper> choiceErrors = new LinkedHashMap<>();
    final ObjectProperty<Start> start = new SimpleObjectProperty<>(this, "start", Start.LOADED_MODEL);
    final StringProperty shape = new SimpleStringProperty(this, "shape", "stories260K");
    final ObjectProperty<Path> tokenizer = new SimpleObjectProperty<>(this, "tokenizer");
    final ObjectProperty<Path> data = new SimpleObjectProperty<>(this, "data");
    final ObjectProperty<DataFormat> format = new SimpleObjectProperty<>(this, "format", DataFormat.AUTO);
    final ObjectProperty<PromptTemplate> template = new SimpleObjectProperty<>(this, "template", PromptTemplate.ALPACA);
    final BooleanProperty evalFromFile = new SimpleBooleanProperty(this, "evalFromFile", false);
    final ObjectProperty<Path> evalFile = new SimpleObjectProperty<>(this, "evalFile");
    final ObjectProperty<LrSchedule.Kind> schedule = new SimpleObjectProperty<>(this, "schedule", LrSchedule.Kind.COSINE);
    final StringProperty samplePrompt = new SimpleStringProperty(this, "samplePrompt", "Once upon a time");
    final BooleanProperty save = new SimpleBooleanProperty(this, "save", true);
    final StringProperty outputDir = new SimpleStringProperty(this, "outputDir", "");
    final StringProperty device = new SimpleStringProperty(this, "device", "cpu");
    final IntegerProperty threads = new SimpleIntegerProperty(this, "threads", 1);
    private final ObjectProperty<ModelHandle> loaded = new SimpleObjectProperty<>(this, "loaded");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(this, "valid");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");

    public TrainForm() {
        for (Knob k : Knob.values()) {
            text.put(k, new SimpleStringProperty(this, k.name(), k.initial));
            knobErrors.put(k, new ReadOnlyStringWrapper(this, k.name() + "Error"));
        }
        for (Choice c : Choice.values()) choiceErrors.put(c, new ReadOnlyStringWrapper(this, c.name() + "Error"));
        Observable[] all = {start, shape, tokenizer, data, format, template, evalFromFile, evalFile, schedule, save, outputDir, loaded, device};
        for (Observable o : all) o.addListener(x -> validate());
        for (StringProperty p : text.values()) p.addListener(x -> validate());
        validate();
    }

    public StringProperty text(Knob k) {
        return text.get(k);
    }

    public ReadOnlyStringProperty error(Knob k) {
        return knobErrors.get(k).getReadOnlyProperty();
    }

    public ReadOnlyStringProperty error(Choice c) {
        return choiceErrors.get(c).getReadOnlyProperty();
    }

    /** True when every field is valid and a run can start. */
    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    public boolean isValid() {
        return valid.get();
    }

    /** One line about the run the form describes: tokens per step, epochs of data (when known). */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ObjectProperty<Start> startProperty() { return start; }
    public StringProperty shapeProperty() { return shape; }
    public ObjectProperty<Path> tokenizerProperty() { return tokenizer; }
    public ObjectProperty<Path> dataProperty() { return data; }
    public ObjectProperty<DataFormat> formatProperty() { return format; }
    public ObjectProperty<PromptTemplate> templateProperty() { return template; }
    public BooleanProperty evalFromFileProperty() { return evalFromFile; }
    public ObjectProperty<Path> evalFileProperty() { return evalFile; }
    public ObjectProperty<LrSchedule.Kind> scheduleProperty() { return schedule; }
    public StringProperty samplePromptProperty() { return samplePrompt; }
    public BooleanProperty saveProperty() { return save; }
    public StringProperty outputDirProperty() { return outputDir; }
    public StringProperty deviceProperty() { return device; }
    public IntegerProperty threadsProperty() { return threads; }

    /** The model loaded in the window (the pane keeps it current). */
    public ObjectProperty<ModelHandle> loadedProperty() {
        return loaded;
    }

    /** The shape of the model the run would start from, or null when there is none (yet). */
    public ModelConfig modelShape() {
        if (start.get() == Start.LOADED_MODEL) return loaded.get() == null ? null : loaded.get().summary().config();
        try {
            return ModelShapes.parse(shapeText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private String shapeText() {
        return shape.get() == null ? "" : shape.get().trim();
    }

    // ---- validation

    private final Map<Knob, Number> values = new LinkedHashMap<>();

    private void validate() {
        values.clear();
        for (ReadOnlyStringWrapper e : knobErrors.values()) e.set(null);
        for (ReadOnlyStringWrapper e : choiceErrors.values()) e.set(null);
        integer(Knob.BATCH, 1, 4096);
        integer(Knob.STEPS, 1, 10_000_000);
        integer(Knob.WARMUP, 0, Integer.MAX_VALUE);
        integer(Knob.ACCUM, 1, 1024);
        integer(Knob.EVAL_EVERY, 0, Integer.MAX_VALUE);
        integer(Knob.SAMPLE_EVERY, 0, Integer.MAX_VALUE);
        integer(Knob.SAVE_EVERY, 0, Integer.MAX_VALUE);
        integer(Knob.SEED, 0, Integer.MAX_VALUE);
        real(Knob.LR, 0, false, 1, true, "a positive number, e.g. 5e-4");
        real(Knob.MIN_LR, 0, true, 1, true, "a number ≥ 0, e.g. 5e-5");
        real(Knob.WEIGHT_DECAY, 0, true, 10, true, "a number ≥ 0, e.g. 0.1");
        real(Knob.GRAD_CLIP, 0, true, 1e6, true, "a number ≥ 0 (0 = no clipping)");
        real(Knob.DROPOUT, 0, true, 1, false, "a probability in [0, 1)");
        real(Knob.HOLD_OUT, 0, true, 50, true, "a percentage from 0 to 50");

        ModelConfig shapeNow = null;
        if (start.get() == Start.LOADED_MODEL) {
            if (loaded.get() == null) choiceErrors.get(Choice.MODEL).set("No model is loaded: open one in Models, or start from a new shape.");
            else shapeNow = loaded.get().summary().config();
        } else {
            try {
                shapeNow = ModelShapes.parse(shapeText());
            } catch (IllegalArgumentException e) {
                choiceErrors.get(Choice.MODEL).set(e.getMessage());
            }
        }
        int maxSeq = shapeNow == null ? 1_000_000 : shapeNow.seqLen();
        integer(Knob.SEQ, 1, maxSeq);
        if (shapeNow != null && knobErrors.get(Knob.SEQ).get() != null && parsesAsInt(Knob.SEQ))
            knobErrors.get(Knob.SEQ).set("at most the model's context of " + shapeNow.seqLen());

        if (ok(Knob.LR) && ok(Knob.MIN_LR) && values.get(Knob.MIN_LR).doubleValue() > values.get(Knob.LR).doubleValue())
            knobErrors.get(Knob.MIN_LR).set("must not exceed the learning rate");
        if (ok(Knob.WARMUP) && ok(Knob.STEPS) && values.get(Knob.WARMUP).longValue() >= values.get(Knob.STEPS).longValue())
            knobErrors.get(Knob.WARMUP).set("must be shorter than the run (" + values.get(Knob.STEPS) + " steps)");

        Path d = data.get();
        if (d == null) choiceErrors.get(Choice.DATA).set("Choose a data file (or drop one here).");
        else if (!Files.isRegularFile(d)) choiceErrors.get(Choice.DATA).set(d + ": no such file");
        if (evalFromFile.get()) {
            Path e = evalFile.get();
            if (e == null) choiceErrors.get(Choice.EVAL_FILE).set("Choose an eval file, or hold out part of the data.");
            else if (!Files.isRegularFile(e)) choiceErrors.get(Choice.EVAL_FILE).set(e + ": no such file");
        }
        Path t = tokenizer.get();
        if (t != null && !Files.exists(t)) choiceErrors.get(Choice.TOKENIZER).set(t + ": no such file");
        else if (t == null && start.get() == Start.NEW_SHAPE && d != null && needsTokenizer(d))
            choiceErrors.get(Choice.TOKENIZER).set("A new model needs a tokenizer file for this data (with the shape's vocabulary).");
        if (save.get() && outputDir.get().isBlank()) choiceErrors.get(Choice.OUTPUT).set("Choose a folder for checkpoints.");

        boolean allOk = knobErrors.values().stream().allMatch(e -> e.get() == null)
                && choiceErrors.values().stream().allMatch(e -> e.get() == null);
        if (allOk) {
            try {
                config(); // the engine's own checks, last
            } catch (IllegalArgumentException e) {
                choiceErrors.get(Choice.MODEL).set(e.getMessage());
                allOk = false;
            }
        }
        valid.set(allOk);
        summary.set(allOk ? describe() : "");
    }

    private boolean needsTokenizer(Path d) {
        return dev.llamascope.engine.train.TrainInit.needsTokenizer(format.get(), d, false);
    }

    private String describe() {
        long tokensPerStep = (long) intValue(Knob.BATCH) * intValue(Knob.SEQ) * intValue(Knob.ACCUM);
        return String.format(Locale.ROOT, "%,d tokens per step, %,d in all", tokensPerStep, tokensPerStep * intValue(Knob.STEPS));
    }

    private boolean ok(Knob k) {
        return values.containsKey(k) && knobErrors.get(k).get() == null;
    }

    private boolean parsesAsInt(Knob k) {
        try {
            Long.parseLong(text.get(k).get().trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private void integer(Knob k, long min, long max) {
        String s = text.get(k).get() == null ? "" : text.get(k).get().trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            knobErrors.get(k).set(s.isEmpty() ? "needs a value" : "'" + s + "' is not a whole number");
            return;
        }
        if (v < min) knobErrors.get(k).set("must be at least " + min);
        else if (v > max) knobErrors.get(k).set("must be at most " + max);
        else values.put(k, v);
    }

    private void real(Knob k, double min, boolean minIncluded, double max, boolean maxIncluded, String want) {
        String s = text.get(k).get() == null ? "" : text.get(k).get().trim();
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            knobErrors.get(k).set(s.isEmpty() ? "needs a value: " + want : "'" + s + "' is not a number: " + want);
            return;
        }
        boolean inRange = Double.isFinite(v) && (minIncluded ? v >= min : v > min) && (maxIncluded ? v <= max : v < max);
        if (!inRange) knobErrors.get(k).set(want);
        else values.put(k, v);
    }

    private int intValue(Knob k) {
        return values.get(k).intValue();
    }

    private double doubleValue(Knob k) {
        return values.get(k).doubleValue();
    }

    // ---- what a valid form means

    /** The engine's run configuration (throws IllegalArgumentException while a field is invalid). */
    public TrainConfig config() {
        for (Knob k : Knob.values()) if (!values.containsKey(k)) throw new IllegalArgumentException(k.label + ": " + knobErrors.get(k).get());
        long steps = intValue(Knob.STEPS);
        LrSchedule lr = new LrSchedule(schedule.get(), doubleValue(Knob.LR), intValue(Knob.WARMUP), doubleValue(Knob.MIN_LR), steps);
        return new TrainConfig(intValue(Knob.BATCH), intValue(Knob.SEQ), steps, intValue(Knob.ACCUM), lr,
                new AdamW(0.9, 0.95, 1e-8, doubleValue(Knob.WEIGHT_DECAY)), (float) doubleValue(Knob.GRAD_CLIP),
                (float) doubleValue(Knob.DROPOUT), DataOrder.SHUFFLE, values.get(Knob.SEED).longValue(), intValue(Knob.EVAL_EVERY),
                8, save.get() ? intValue(Knob.SAVE_EVERY) : 0);
    }

    /** The whole run, for the training thread; {@code runDir} is where this run's checkpoints go (when saving). */
    RunRequest request(Path runDir) {
        if (!valid.get()) throw new IllegalStateException("the form is not valid");
        RunRequest.StartFrom from = start.get() == Start.LOADED_MODEL ? new RunRequest.StartFrom.Loaded(loaded.get())
                : new RunRequest.StartFrom.Shape(ModelShapes.parse(shapeText()));
        TrainConfig cfg = config();
        double holdOut = doubleValue(Knob.HOLD_OUT) / 100.0;
        TrainSetup.DataChoice choice = new TrainSetup.DataChoice(data.get(), format.get(), template.get(),
                evalFromFile.get() ? evalFile.get() : null, evalFromFile.get() ? 0 : holdOut);
        int every = intValue(Knob.SAMPLE_EVERY);
        Trainer.Sampling sampling = new Trainer.Sampling(every, samplePrompt.get() == null ? "" : samplePrompt.get(), 64, 0.8f, cfg.seed());
        return new RunRequest(from, tokenizer.get(), choice, cfg, sampling, device.get(), Math.max(1, threads.get()),
                save.get() ? runDir : null);
    }

    /** Where this run's checkpoints go: a new folder per run under the output folder. */
    Path outputFolder() {
        return Path.of(outputDir.get().trim());
    }
}
