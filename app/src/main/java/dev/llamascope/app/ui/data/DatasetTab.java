package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;

/**
 * Step 5: a data file made ready for training. Open it, see the detected format (and override it), preview the
 * first examples as the model will see them with their token counts, the prompt part (masked out of the loss) drawn
 * apart from the trained part; convert it to another format, split off an eval set, pretokenize it to llama2.c's
 * .u16; and hand the result to the Train pane ("Train a model on this").
 */
final class DatasetTab extends HBox {
    /** Examples shown in the preview. */
    static final int PREVIEW_COUNT = 20;

    @FXML private VBox fileSlot, tokenizerSlot, outputSlot;
    @FXML private ChoiceBox<DataFormat> formatChoice, convertChoice;
    @FXML private ChoiceBox<PromptTemplate> templateChoice;
    @FXML private Label detectedLabel, templateTitle, statusLabel, errorLabel, handOffLabel, summaryLabel;
    @FXML private Button previewButton, convertButton, splitButton, pretokenizeButton, cancelButton, trainButton;
    @FXML private Spinner<Double> evalSpinner;
    @FXML private ProgressBar progressBar;
    @FXML private ListView<DatasetLook.Shown> previewList;
    @FXML private javafx.scene.layout.GridPane formGrid;

    /** What "Train a model on this" hands over. */
    record HandOff(Path data, DataFormat format, Path tokenizer) {}

    private final AppContext ctx;
    private final DataRecipe recipe;
    private final DataTask task;
    private final FileField fileField = new FileField("datasetFile", FileField.Kind.OPEN, "Open a dataset",
            "a .txt, .jsonl, .json or .u16 file", new FileChooser.ExtensionFilter("Datasets", "*.txt", "*.jsonl", "*.json", "*.u16", "*.bin"));
    private final FileField tokenizerField = new FileField("datasetTokenizer", FileField.Kind.OPEN, "Choose a tokenizer",
            "empty: the loaded model's", new FileChooser.ExtensionFilter("Tokenizers", "*.bin", "*.model", "*.json"));
    private final Label tokenizerNote = new Label();
    private final FileField outputField = new FileField("datasetOutput", FileField.Kind.FOLDER, "Where prepared files go",
            "beside the data file");
    private DatasetLook look;
    private HandOff handOff;
    private final javafx.beans.property.BooleanProperty tokenFile = new javafx.beans.property.SimpleBooleanProperty(this, "tokenFile");

    DatasetTab(AppContext ctx, DataRecipe recipe) {
        this.ctx = ctx;
        this.recipe = recipe;
        this.task = new DataTask(ctx.engine(), ctx.fxThread());
        FxmlViews.load(this, "dataset-tab.fxml");
        DataViews.formColumns(110, formGrid);
        fileSlot.getChildren().setAll(fileField);
        tokenizerNote.getStyleClass().add("muted");
        tokenizerNote.visibleProperty().bind(tokenizerNote.textProperty().isNotEmpty());
        tokenizerNote.managedProperty().bind(tokenizerNote.visibleProperty());
        tokenizerNote.setWrapText(true);
        tokenizerSlot.getChildren().setAll(tokenizerField, tokenizerNote);
        outputSlot.getChildren().setAll(outputField);
        fileField.follow(recipe.storiesProperty());
        tokenizerField.follow(recipe.tokenizerProperty());
        tokenizerNote.textProperty().bind(Bindings.createStringBinding(() -> {
            if (tokenizerField.path() != null) return "";
            ModelHandle h = ctx.session().current();
            return h == null ? "No model loaded: choose a tokenizer, or train one in step 4." : "Using " + h.summary().tokenizer() + " (the loaded model's).";
        }, tokenizerField.pathProperty(), ctx.session().currentProperty()));

        StringConverter<DataFormat> formatNames = new StringConverter<>() {
            @Override
            public String toString(DataFormat f) {
                return f == null ? "" : f == DataFormat.AUTO ? "detect" : f.cliName();
            }

            @Override
            public DataFormat fromString(String s) {
                return DataFormat.parse(s);
            }
        };
        formatChoice.getItems().setAll(DataFormat.values());
        formatChoice.setConverter(formatNames);
        formatChoice.setValue(DataFormat.AUTO);
        convertChoice.getItems().setAll(Arrays.stream(DataFormat.values()).filter(f -> f != DataFormat.AUTO && f != DataFormat.TOKENS).toList());
        convertChoice.setConverter(formatNames);
        convertChoice.setValue(DataFormat.TEXT);
        templateChoice.getItems().setAll(PromptTemplate.BUILT_IN);
        templateChoice.setValue(PromptTemplate.ALPACA);
        templateChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(PromptTemplate t) {
                return t == null ? "" : t.name();
            }

            @Override
            public PromptTemplate fromString(String s) {
                return PromptTemplate.named(s);
            }
        });
        evalSpinner.setValueFactory(new SpinnerValueFactory.DoubleSpinnerValueFactory(0.01, 0.5, 0.05, 0.01));
        DataViews.commitOnFocusLoss(evalSpinner);
        fileField.pathProperty().addListener((o, a, b) -> {
            detectedLabel.setText("");
            showTemplateRow();
        });
        formatChoice.valueProperty().addListener((o, a, b) -> showTemplateRow());
        showTemplateRow();

        for (javafx.scene.Node n : List.of(formGrid, outputField, convertChoice, evalSpinner)) n.disableProperty().bind(task.runningProperty());
        previewButton.setOnAction(e -> preview());
        convertButton.setOnAction(e -> convert());
        splitButton.setOnAction(e -> split());
        pretokenizeButton.setOnAction(e -> pretokenize());
        cancelButton.setOnAction(e -> task.cancel());
        for (Button b : List.of(previewButton, splitButton)) b.disableProperty().bind(task.runningProperty());
        // A token file is as far as preparing goes: nothing to convert or tokenize.
        for (Button b : List.of(convertButton, pretokenizeButton)) b.disableProperty().bind(task.runningProperty().or(tokenFile));
        cancelButton.disableProperty().bind(task.runningProperty().not());
        DataViews.bindProgress(task, progressBar, statusLabel, errorLabel);

        previewList.setCellFactory(l -> new ExampleCell());
        previewList.setPlaceholder(new Label("Open a data file and preview it: its first examples appear here, as the model will see them."));
        summaryLabel.setText("No preview yet.");
        trainButton.setOnAction(e -> train());
        showHandOff();
        // The Train pane registers itself when it is built; look again whenever this pane is shown.
        ctx.navigation().currentProperty().addListener((o, a, b) -> refreshTrainButton());
        refreshTrainButton();
    }

    FileField fileField() {
        return fileField;
    }

    FileField tokenizerField() {
        return tokenizerField;
    }

    /** Where converted, split and pretokenized files go (empty: beside the data file). */
    FileField outputField() {
        return outputField;
    }

    void setFormat(DataFormat f) {
        formatChoice.setValue(f);
    }

    /** The tokenizer chosen here, else the loaded model's; null when neither (FX thread). */
    private Tokenizer tokenizerNow() {
        ModelHandle h = ctx.session().current();
        return h == null ? null : h.loaded().tokenizer();
    }

    /** Reads the file's first examples and counts its tokens, off the FX thread. */
    void preview() {
        Path file = fileField.path();
        if (file == null) {
            task.error("Open a data file first (the stories from step 2, or any dataset).");
            return;
        }
        DataFormat format = formatChoice.getValue();
        PromptTemplate template = templateChoice.getValue();
        Path tokPath = tokenizerField.path();
        Tokenizer modelTok = tokenizerNow();
        task.start("dataset preview", "Reading " + file.getFileName() + "…", (progress, cancel) -> {
            Tokenizer tok = tokPath != null ? ModelLoader.TokenizerLoader.read(tokPath) : modelTok;
            return DatasetLook.of(file, format, tok, template, PREVIEW_COUNT);
        }, null, l -> {
            look = l;
            showTemplateRow();
            previewList.getItems().setAll(l.items());
            detectedLabel.setText(format == DataFormat.AUTO ? "detected: " + l.format().cliName() : "");
            String unit = l.format().conversational() ? "conversations" : "documents";
            summaryLabel.setText(String.format(Locale.ROOT, "%s · %,d %s · %,d tokens, %,d of them trained (%.1f%%)%s", l.format().cliName(), l.units(), unit,
                    l.tokens(), l.trainedTokens(), l.tokens() == 0 ? 0.0 : 100.0 * l.trainedTokens() / l.tokens(),
                    l.format().conversational() ? " · template " + template.name() : ""));
            task.statusProperty().set("Previewed " + file.getFileName() + ".");
            setHandOff(new HandOff(file, l.format(), tokPath));
        });
    }

    /**
     * What the format allows: the prompt template matters for instruction and chat data only (its row shows for
     * them); conversion goes between formats of one kind (documents or conversations); a token file is converted
     * or pretokenized no further.
     */
    private void showTemplateRow() {
        DataFormat f = inputFormat();
        boolean show = f.conversational();
        for (javafx.scene.Node n : List.of(templateTitle, templateChoice)) {
            n.setVisible(show);
            n.setManaged(show);
        }
        DataFormat keep = convertChoice.getValue();
        List<DataFormat> targets = Arrays.stream(DataFormat.values()) // AUTO: not known yet, every target is offered
                .filter(t -> t != DataFormat.AUTO && t != DataFormat.TOKENS && (f == DataFormat.AUTO || t != f && t.conversational() == f.conversational()))
                .toList();
        if (!convertChoice.getItems().equals(targets)) {
            convertChoice.getItems().setAll(targets);
            convertChoice.setValue(targets.contains(keep) ? keep : targets.isEmpty() ? null : targets.getFirst());
        }
        tokenFile.set(f == DataFormat.TOKENS);
    }

    /** The format the prep steps read the file as: the preview's, else what the choice says. */
    private DataFormat inputFormat() {
        Path file = fileField.path();
        if (look != null && look.file().equals(file)) return look.format();
        return formatChoice.getValue();
    }

    private Path requireFile() {
        Path file = fileField.path();
        if (file == null) task.error("Open a data file first.");
        return file;
    }

    /** Converts the file to the chosen format, beside it. */
    void convert() {
        Path file = requireFile();
        if (file == null) return;
        DataFormat to = convertChoice.getValue();
        if (to == null) {
            task.error("Choose the format to convert to.");
            return;
        }
        Path out = DatasetJobs.convertedName(file, to, outputField.path());
        DataFormat from = inputFormat();
        task.start("convert dataset", "Converting to " + to.cliName() + "…", (progress, cancel) ->
                DatasetJobs.convert(file, from, out, to, progress, cancel), null, r -> {
            task.statusProperty().set(r.line());
            setHandOff(new HandOff(out, to, tokenizerField.path()));
        });
    }

    /** Converts to a format (tests and scripts; the same as choosing it and pressing Convert). */
    void convertTo(DataFormat to) {
        if (!convertChoice.getItems().contains(to)) {
            task.error(inputFormat().cliName() + " data does not convert to " + to.cliName() + ".");
            return;
        }
        convertChoice.setValue(to);
        convert();
    }

    /** Splits the file into NAME.train.EXT and NAME.eval.EXT beside it. */
    void split() {
        Path file = requireFile();
        if (file == null) return;
        double fraction = evalSpinner.getValue();
        DataFormat from = inputFormat();
        Path[] outs = DatasetJobs.splitNames(file, outputField.path());
        task.start("split dataset", "Splitting…", (progress, cancel) ->
                DatasetJobs.split(file, from, fraction, outs[0], outs[1], progress, cancel), null, r -> {
            task.statusProperty().set(r.line());
            setHandOff(new HandOff(outs[0], from == DataFormat.AUTO && look != null ? look.format() : from, tokenizerField.path()));
        });
    }

    /** Writes NAME.u16 beside the file with the tokenizer. */
    void pretokenize() {
        Path file = requireFile();
        if (file == null) return;
        Path tokPath = tokenizerField.path();
        Tokenizer modelTok = tokenizerNow();
        if (tokPath == null && modelTok == null) {
            task.error("Pretokenizing needs a tokenizer: load a model, train one in step 4, or choose a tokenizer file.");
            return;
        }
        DataFormat from = inputFormat();
        PromptTemplate template = templateChoice.getValue();
        Path out = DatasetJobs.tokenFileName(file, outputField.path());
        task.start("pretokenize", "Tokenizing…", (progress, cancel) -> {
            Tokenizer tok = tokPath != null ? ModelLoader.TokenizerLoader.read(tokPath) : modelTok;
            return DatasetJobs.pretokenize(file, from, tok, template, out, progress, cancel);
        }, null, r -> {
            task.statusProperty().set(r.line());
            setHandOff(new HandOff(r.outputs().getFirst(), DataFormat.TOKENS, tokPath));
        });
    }

    private void setHandOff(HandOff h) {
        handOff = h;
        showHandOff();
    }

    private void showHandOff() {
        handOffLabel.setText(handOff == null ? "Preview, convert, split or pretokenize a file: the last result is what the Train pane gets."
                : "The Train pane gets " + handOff.data() + " (" + handOff.format().cliName() + ")"
                + (handOff.tokenizer() != null ? " with " + handOff.tokenizer().getFileName() : "") + ".");
        refreshTrainButton();
    }

    private void refreshTrainButton() {
        boolean can = ctx.links().canTrain();
        trainButton.setDisable(!can || handOff == null);
        trainButton.setTooltip(new Tooltip(!can ? "There is no Train pane in this build." : handOff == null
                ? "Preview or prepare a dataset first." : "Opens the Train pane with this dataset."));
    }

    /** "Train a model on this": the Train pane gets the dataset, its format and tokenizer, and is shown. */
    void train() {
        if (handOff == null || !ctx.links().canTrain()) return;
        ctx.links().train(handOff.data(), handOff.format().cliName(), handOff.tokenizer());
        ctx.navigation().show("train");
    }

    HandOff handOff() {
        return handOff;
    }

    DatasetLook look() {
        return look;
    }

    ListView<DatasetLook.Shown> previewList() {
        return previewList;
    }

    Button trainButton() {
        return trainButton;
    }

    DataTask task() {
        return task;
    }

    /** One example: its counts, then its text with the prompt part and the trained part styled apart. */
    private final class ExampleCell extends ListCell<DatasetLook.Shown> {
        private final Label counts = new Label();
        private final TextFlow flow = new TextFlow();
        private final VBox box = new VBox(4, counts, flow);

        ExampleCell() {
            counts.getStyleClass().add("prompt-id");
            flow.maxWidthProperty().bind(previewList.widthProperty().subtract(40));
            flow.prefWidthProperty().bind(flow.maxWidthProperty());
            box.getStyleClass().add("example-cell");
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(DatasetLook.Shown s, boolean empty) {
            super.updateItem(s, empty);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            counts.setText(String.format(Locale.ROOT, "%,d tokens · %,d trained", s.tokens(), s.trainedTokens()));
            flow.getChildren().clear();
            for (DatasetLook.Part p : s.parts()) {
                String t = p.text().length() > 1500 ? p.text().substring(0, 1500) + "…" : p.text();
                Text text = new Text(t);
                text.getStyleClass().add(p.trained() ? "example-trained" : "example-prompt");
                flow.getChildren().add(text);
            }
            setGraphic(box);
        }
    }
}
