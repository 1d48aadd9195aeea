package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.concurrent.ComputeLane;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.tokenizer.train.BpeTrainingConfig;
import dev.llamascope.engine.tokenizer.train.TokenizerStats;
import dev.llamascope.engine.tokenizer.train.TokenizerTrainer;
import dev.llamascope.engine.tokenizer.train.TrainedVocabulary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * Step 4: the engine's {@link TokenizerTrainer} on the stories (a JSONL file's stories are written out as lines
 * first), with progress and Cancel; then what it learned (tokens per character and the unknown rate on held-out
 * lines), an example sentence as its pieces, and "use this tokenizer" for the dataset step.
 */
final class TokenizerTab extends HBox {
    @FXML private VBox dataSlot, outputSlot;
    @FXML private Spinner<Integer> vocabSpinner;
    @FXML private CheckBox byteFallbackCheck;
    @FXML private TextField coverageField, sentenceField;
    @FXML private Button trainButton, cancelButton, useButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label statusLabel, errorLabel, noResultLabel, chipSummary, inUseLabel;
    @FXML private GridPane resultGrid, formGrid;
    @FXML private FlowPane chipPane;

    /** A finished training: what was written where, and the vocabulary as a tokenizer for the example. */
    record Trained(Path folder, TokenizerTrainer.Result result, Tokenizer tokenizer) {}

    private final AppContext ctx;
    private final DataRecipe recipe;
    private final DataTask task;
    private final FileField dataField = new FileField("tokenizerData", FileField.Kind.OPEN, "Choose the training text",
            "stories.jsonl or a text file", new FileChooser.ExtensionFilter("Text and stories", "*.txt", "*.jsonl", "*.json"));
    private final FileField outputField = new FileField("tokenizerOutput", FileField.Kind.FOLDER, "Where to write the tokenizer", "a folder, e.g. tok4096");
    private Trained trained;

    TokenizerTab(AppContext ctx, DataRecipe recipe) {
        this.ctx = ctx;
        this.recipe = recipe;
        this.task = new DataTask(ctx.engine(), ctx.fxThread());
        FxmlViews.load(this, "tokenizer-tab.fxml");
        DataViews.formColumns(120, formGrid);
        dataSlot.getChildren().setAll(dataField);
        outputSlot.getChildren().setAll(outputField);
        dataField.follow(recipe.storiesProperty());
        recipe.storiesProperty().addListener((o, a, b) -> {
            Path dir = b == null ? null : b.toAbsolutePath().getParent();
            if (dir != null) outputField.suggest(dir.resolve("tokenizer"));
        });
        vocabSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(BpeTrainingConfig.SPECIALS + 1, 1 << 20, 4096, 256));
        DataViews.commitOnFocusLoss(vocabSpinner);
        byteFallbackCheck.setSelected(true);
        formGrid.disableProperty().bind(task.runningProperty());
        trainButton.setOnAction(e -> train());
        trainButton.disableProperty().bind(task.runningProperty());
        cancelButton.setOnAction(e -> task.cancel());
        cancelButton.disableProperty().bind(task.runningProperty().not());
        DataViews.bindProgress(task, progressBar, statusLabel, errorLabel);
        sentenceField.setText("Once upon a time, Lily found a shiny red ball in the garden.");
        sentenceField.textProperty().addListener((o, a, b) -> showChips());
        useButton.setDisable(true);
        useButton.setOnAction(e -> useForDataset());
        inUseLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            Path t = recipe.tokenizerProperty().get();
            return t == null ? "The dataset step uses the loaded model's tokenizer." : "The dataset step uses " + t + ".";
        }, recipe.tokenizerProperty()));
        resultGrid.setVisible(false);
        resultGrid.setManaged(false);
    }

    FileField dataField() {
        return dataField;
    }

    FileField outputField() {
        return outputField;
    }

    void configure(int vocabSize, boolean byteFallback, String coverage) {
        vocabSpinner.getValueFactory().setValue(vocabSize);
        byteFallbackCheck.setSelected(byteFallback);
        coverageField.setText(coverage == null ? "" : coverage);
    }

    void setSentence(String s) {
        sentenceField.setText(s);
    }

    /** Trains on the chosen text into the chosen folder, off the FX thread. */
    void train() {
        Path data = dataField.path(), out = outputField.path();
        if (data == null) {
            task.error("Choose the text to train on (the stories from step 2, or any text file).");
            return;
        }
        if (out == null) {
            task.error("Choose the folder to write the tokenizer into.");
            return;
        }
        double coverage = BpeTrainingConfig.AUTO_COVERAGE;
        String c = coverageField.getText().strip();
        if (!c.isEmpty() && !c.equalsIgnoreCase("auto")) {
            try {
                coverage = Double.parseDouble(c);
            } catch (NumberFormatException e) {
                task.error("Character coverage is a number such as 0.9995 (or empty for auto), got '" + c + "'.");
                return;
            }
        }
        BpeTrainingConfig config;
        try {
            config = BpeTrainingConfig.of(vocabSpinner.getValue(), byteFallbackCheck.isSelected(), coverage);
        } catch (IllegalArgumentException e) {
            task.error(e.getMessage());
            return;
        }
        int threads = ctx.session().threadsProperty().get();
        ComputeLane lane = ctx.session().compute();
        task.start("train tokenizer", "Reading " + data.getFileName() + "…", (progress, cancel) -> {
            Path scratch = Files.createTempFile("llamascope-tokenizer-", ".txt");
            try {
                Path text = DocumentFiles.asTextLines(data, scratch);
                try (ComputeLane.Lease lease = lane.acquire(threads, cancel, null,
                        () -> progress.report(-1, "Waiting for the compute threads (a generation is running)…"))) {
                    TokenizerTrainer.Result r = TokenizerTrainer.train(text, config, lease.pool(), new TokenizerTrainer.Listener() {
                        @Override
                        public void counting(long done, long total) {
                            progress.report(total == 0 ? 0 : 0.3 * done / total, String.format(Locale.ROOT, "Counting words: %,d of %,d bytes", done, total));
                        }

                        @Override
                        public void merging(int done, int total) {
                            progress.report(total == 0 ? 0.3 : 0.3 + 0.7 * done / total, String.format(Locale.ROOT, "Learning pieces: %,d of %,d", done, total));
                        }

                        @Override
                        public boolean cancelled() {
                            return cancel.isCancelled();
                        }
                    });
                    TokenizerTrainer.write(r, out, data.getFileName().toString());
                    return new Trained(out, r, r.vocabulary().toTokenizer(out.getFileName() == null ? "trained" : out.getFileName().toString()));
                }
            } finally {
                Files.deleteIfExists(scratch);
            }
        }, null, this::show);
    }

    private void show(Trained t) {
        trained = t;
        TokenizerTrainer.Result r = t.result();
        TrainedVocabulary v = r.vocabulary();
        TokenizerStats s = r.heldOut();
        resultGrid.getChildren().clear();
        int row = 0;
        row = result(row, "vocab", "Vocabulary", String.format(Locale.ROOT, "%,d tokens: %,d merges, %,d characters%s", v.size(), v.merges(),
                v.characters(), v.config().byteFallback() ? ", 256 bytes" : ""));
        row = result(row, "coverage", "Character coverage", String.valueOf(v.characterCoverage()));
        row = result(row, "tokensPerChar", "Tokens per character", s.lines() == 0 ? "no lines held out" : String.format(Locale.ROOT, "%.4f (held-out: %,d lines, %,d characters)", s.tokensPerCharacter(), s.lines(), s.characters()));
        row = result(row, "unknown", "Unknown rate", s.lines() == 0 ? "–" : String.format(Locale.ROOT, "%.4f%%", 100 * s.unknownRate()));
        row = result(row, "bytes", "Byte-fallback rate", s.lines() == 0 ? "–" : String.format(Locale.ROOT, "%.4f%%", 100 * s.byteRate()));
        row = result(row, "input", "Trained on", String.format(Locale.ROOT, "%,d bytes, %,d lines, %,d distinct words", r.bytes(), r.lines(), r.distinctSegments()));
        row = result(row, "time", "Time", String.format(Locale.ROOT, "%.2f s (%.1f MB/s)", (r.countNanos() + r.mergeNanos()) / 1e9, r.megabytesPerSecond()));
        result(row, "folder", "Written to", t.folder() + " (tokenizer.bin, .model, .json, training.json)");
        resultGrid.setVisible(true);
        resultGrid.setManaged(true);
        noResultLabel.setVisible(false);
        noResultLabel.setManaged(false);
        useButton.setDisable(false);
        task.statusProperty().set(String.format(Locale.ROOT, "Trained %,d tokens and wrote them to %s.", v.size(), t.folder()));
        showChips();
    }

    private int result(int row, String id, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("muted");
        Label v = new Label(value);
        v.setId("tok-" + id);
        v.setWrapText(true);
        resultGrid.addRow(row, k, v);
        return row + 1;
    }

    /** The example sentence as the trained tokenizer's pieces, one chip each. */
    private void showChips() {
        chipPane.getChildren().clear();
        if (trained == null) {
            chipSummary.setText("Train a tokenizer to see how it cuts this sentence.");
            return;
        }
        Tokenizer tok = trained.tokenizer();
        String text = sentenceField.getText();
        int[] ids = tok.encode(text, false, false);
        for (int id : ids) {
            Label chip = new Label(tok.pieceLabel(id).replace(' ', '▁')); // SentencePiece's word start, visible
            chip.getStyleClass().addAll("chip", "token-chip");
            if (tok.type(id) == Tokenizer.TokenType.BYTE) chip.getStyleClass().add("token-byte");
            if (id == tok.unk()) chip.getStyleClass().add("token-unknown");
            chip.setTooltip(new Tooltip("id " + id));
            chipPane.getChildren().add(chip);
        }
        int chars = text.codePointCount(0, text.length());
        chipSummary.setText(String.format(Locale.ROOT, "%d tokens for %d characters (%.2f per character)", ids.length, chars,
                chars == 0 ? 0.0 : (double) ids.length / chars));
    }

    /** Hands the trained tokenizer.bin to the dataset step. */
    void useForDataset() {
        if (trained != null) recipe.tokenizerProperty().set(trained.folder().resolve("tokenizer.bin"));
    }

    Trained trained() {
        return trained;
    }

    FlowPane chips() {
        return chipPane;
    }

    DataTask task() {
        return task;
    }
}
