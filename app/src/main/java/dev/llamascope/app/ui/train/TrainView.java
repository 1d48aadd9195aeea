package dev.llamascope.app.ui.train;

import dev.llamascope.app.ui.FileDrop;
import atlantafx.base.controls.Message;
import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.app.ui.viz.SeriesChart;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataPreview;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.model.ModelShapes;
import dev.llamascope.engine.train.LrSchedule;
import dev.llamascope.engine.train.TrainDevice;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/**
 * The Train pane's view: the set-up form (model, tokenizer, data, hyperparameters with an error line under each,
 * checkpoints and device), the run controls with progress, the charts (loss raw, smoothed and eval; learning rate,
 * gradient norm, tokens/s) with smoothing, log-y and x-axis choice, and tabs for the data preview, the samples and
 * the checkpoints. Layout in train.fxml; the knob rows and the charts are built here.
 */
public final class TrainView extends BorderPane {
    @FXML private RadioButton loadedRadio, shapeRadio, holdOutRadio, evalFileRadio;
    @FXML private Label loadedLabel, modelError, tokenizerLabel, tokenizerError, dataLabel, dataError, holdOutError, evalFileLabel,
            evalFileError, formSummary, outputError, progressLabel, runInfoLabel, smoothingValue, previewSummary, noticeLabel, runFolderLabel;
    @FXML private ComboBox<String> shapeBox;
    @FXML private ComboBox<DataFormat> formatBox;
    @FXML private ComboBox<PromptTemplate> templateBox;
    @FXML private ComboBox<TrainDevice> deviceBox;
    @FXML private ComboBox<String> xAxisBox;
    @FXML private Button tokenizerButton, tokenizerClear, dataButton, evalFileButton, outputButton, startButton, pauseButton, stopButton,
            openButton, copyButton;
    @FXML private TextField holdOutField, outputField;
    @FXML private GridPane knobGrid;
    @FXML private CheckBox saveCheck;
    @FXML private Spinner<Integer> threadsSpinner;
    @FXML private ProgressBar progressBar;
    @FXML private VBox messageBox;
    @FXML private Slider smoothingSlider;
    @FXML private ToggleSwitch logSwitch;
    @FXML private StackPane lossHolder;
    @FXML private HBox smallCharts;
    @FXML private TabPane tabs;
    @FXML private Tab previewTab, samplesTab, checkpointsTab;
    @FXML private ListView<DataPreview.Item> previewList;
    @FXML private ListView<TrainModel.Sample> samplesList;
    @FXML private ListView<TrainModel.Checkpoint> checkpointList;

    private final TrainController controller;
    private final TrainForm form;
    private final TrainModel model;
    final SeriesChart lossChart, lrChart, gradChart, speedChart;

    public TrainView(TrainController controller) {
        this.controller = controller;
        this.form = controller.form();
        this.model = controller.model();
        FxmlViews.load(this, "train.fxml");
        lossChart = chart("Loss", "The loss curves appear here when a run starts.");
        lrChart = chart("Learning rate", "");
        gradChart = chart("Gradient norm", "");
        speedChart = chart("Tokens per second", "");
        lossChart.setId("trainLossChart");
        lrChart.setId("trainLrChart");
        gradChart.setId("trainGradChart");
        speedChart.setId("trainSpeedChart");
        TrainCurves c = controller.curves();
        lossChart.addSeries(c.rawLoss());
        lossChart.addSeries(c.smoothLoss());
        lossChart.addSeries(c.evalLoss());
        lrChart.addSeries(c.learningRate());
        lrChart.yFormatProperty().set(v -> String.format(Locale.ROOT, "%.1e", v));
        gradChart.addSeries(c.gradNorm());
        speedChart.addSeries(c.speed());
        lossHolder.getChildren().add(lossChart);
        for (SeriesChart s : List.of(lrChart, gradChart, speedChart)) {
            HBox.setHgrow(s, Priority.ALWAYS);
            s.setPrefWidth(200);
            smallCharts.getChildren().add(s);
        }
        c.revisionProperty().addListener(o -> {
            for (SeriesChart s : List.of(lossChart, lrChart, gradChart, speedChart)) s.refresh();
        });

        buildModelSection();
        buildDataSection();
        buildKnobs();
        buildRunControls();
        buildChartControls();
        buildTabs();
        FileDrop.install(this, () -> true, files -> {
            if (Files.isRegularFile(files.getFirst())) form.dataProperty().set(files.getFirst());
        });
    }

    private static SeriesChart chart(String title, String empty) {
        SeriesChart s = new SeriesChart(TrainCurves.X_AXES);
        s.titleProperty().set(title);
        s.emptyTextProperty().set(empty);
        return s;
    }

    // ---- the form

    private void buildModelSection() {
        ToggleGroup start = new ToggleGroup();
        loadedRadio.setToggleGroup(start);
        shapeRadio.setToggleGroup(start);
        Runnable syncStart = () -> (form.startProperty().get() == TrainForm.Start.LOADED_MODEL ? loadedRadio : shapeRadio).setSelected(true);
        syncStart.run();
        form.startProperty().addListener(o -> syncStart.run());
        start.selectedToggleProperty().addListener((o, a, b) -> {
            if (b != null) form.startProperty().set(b == loadedRadio ? TrainForm.Start.LOADED_MODEL : TrainForm.Start.NEW_SHAPE);
        });
        loadedLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            ModelHandle h = form.loadedProperty().get();
            return h == null ? "none loaded (open one in Models)" : h.summary().name() + " · " + h.summary().shape() + " · context " + h.summary().contextLength();
        }, form.loadedProperty()));
        shapeBox.getItems().setAll(ModelShapes.named().keySet().stream().sorted().toList());
        shapeBox.getItems().add("dim=64,hidden=172,layers=5,heads=8,kv=4,vocab=512,seq=512");
        shapeBox.valueProperty().bindBidirectional(form.shapeProperty());
        shapeBox.disableProperty().bind(form.startProperty().isNotEqualTo(TrainForm.Start.NEW_SHAPE));
        shapeBox.setTooltip(new Tooltip("A named shape, or dim=…,hidden=…,layers=…,heads=…,kv=…,vocab=…,seq=… (random weights)"));
        errorLine(modelError, form.error(TrainForm.Choice.MODEL));
        tokenizerLabel.textProperty().bind(Bindings.createStringBinding(() -> form.tokenizerProperty().get() == null ? "the model's own"
                : String.valueOf(form.tokenizerProperty().get().toAbsolutePath()), form.tokenizerProperty()));
        shapeRadio.setTooltip(new Tooltip("Random weights of a named or custom shape, trained from scratch"));
        tokenizerButton.setOnAction(e -> chooseTokenizer());
        tokenizerClear.setGraphic(AppIcon.CANCEL.node(14));
        tokenizerClear.setTooltip(new Tooltip("Use the model's own tokenizer"));
        tokenizerClear.disableProperty().bind(form.tokenizerProperty().isNull());
        tokenizerClear.setOnAction(e -> form.tokenizerProperty().set(null));
        errorLine(tokenizerError, form.error(TrainForm.Choice.TOKENIZER));
    }

    private void buildDataSection() {
        dataLabel.textProperty().bind(Bindings.createStringBinding(() -> form.dataProperty().get() == null ? "no data file chosen"
                : String.valueOf(form.dataProperty().get().getFileName()), form.dataProperty()));
        dataLabel.setTooltip(new Tooltip());
        dataLabel.getTooltip().textProperty().bind(Bindings.createStringBinding(() -> form.dataProperty().get() == null ? "Choose a file or drop one on the pane"
                : form.dataProperty().get().toAbsolutePath().toString(), form.dataProperty()));
        dataButton.setOnAction(e -> chooseData());
        errorLine(dataError, form.error(TrainForm.Choice.DATA));
        formatBox.getItems().setAll(DataFormat.values());
        formatBox.setConverter(lowerCase(DataFormat::cliName));
        formatBox.valueProperty().bindBidirectional(form.formatProperty());
        formatBox.setTooltip(new Tooltip("auto tells them apart by name and content"));
        templateBox.getItems().setAll(PromptTemplate.BUILT_IN);
        templateBox.valueProperty().bindBidirectional(form.templateProperty());
        templateBox.disableProperty().bind(Bindings.createBooleanBinding(() -> {
            DataFormat f = form.formatProperty().get();
            return f != DataFormat.AUTO && !f.conversational();
        }, form.formatProperty()));
        templateBox.setTooltip(new Tooltip("How instruction and chat data is written out for the model (only the answers are trained)"));
        ToggleGroup eval = new ToggleGroup();
        holdOutRadio.setToggleGroup(eval);
        evalFileRadio.setToggleGroup(eval);
        (form.evalFromFileProperty().get() ? evalFileRadio : holdOutRadio).setSelected(true);
        eval.selectedToggleProperty().addListener((o, a, b) -> form.evalFromFileProperty().set(b == evalFileRadio));
        holdOutField.textProperty().bindBidirectional(form.text(TrainForm.Knob.HOLD_OUT));
        holdOutField.disableProperty().bind(form.evalFromFileProperty());
        errorLine(holdOutError, form.error(TrainForm.Knob.HOLD_OUT));
        evalFileLabel.textProperty().bind(Bindings.createStringBinding(() -> form.evalFileProperty().get() == null ? ""
                : String.valueOf(form.evalFileProperty().get().getFileName()), form.evalFileProperty()));
        evalFileButton.setOnAction(e -> chooseEvalFile());
        errorLine(evalFileError, form.error(TrainForm.Choice.EVAL_FILE));
    }

    private void buildKnobs() {
        int row = 0;
        for (TrainForm.Knob k : TrainForm.Knob.values()) {
            if (k == TrainForm.Knob.HOLD_OUT) continue;
            Label name = new Label(k.label);
            TextField field = new TextField();
            field.setId("train-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            field.setPrefWidth(96);
            field.textProperty().bindBidirectional(form.text(k));
            knobGrid.add(name, 0, row);
            knobGrid.add(field, 1, row++);
            Label err = new Label();
            err.setId(field.getId() + "-error");
            err.getStyleClass().add("field-error");
            err.setWrapText(true);
            errorLine(err, form.error(k));
            field.pseudoClassStateChanged(Styles.STATE_DANGER, form.error(k).get() != null);
            form.error(k).addListener((o, a, b) -> field.pseudoClassStateChanged(Styles.STATE_DANGER, b != null));
            knobGrid.add(err, 0, row++, 2, 1);
            if (k == TrainForm.Knob.LR) {
                ComboBox<LrSchedule.Kind> schedule = new ComboBox<>();
                schedule.setId("train-schedule");
                schedule.getItems().setAll(LrSchedule.Kind.values());
                schedule.setConverter(lowerCase(kind -> kind.name().toLowerCase(Locale.ROOT)));
                schedule.valueProperty().bindBidirectional(form.scheduleProperty());
                schedule.setPrefWidth(110);
                knobGrid.add(new Label("Schedule"), 0, row);
                knobGrid.add(schedule, 1, row++);
            }
            if (k == TrainForm.Knob.SAMPLE_EVERY) {
                TextField prompt = new TextField();
                prompt.setId("train-sample-prompt");
                prompt.textProperty().bindBidirectional(form.samplePromptProperty());
                prompt.setPrefWidth(150);
                knobGrid.add(new Label("Sample prompt"), 0, row);
                knobGrid.add(prompt, 1, row++);
            }
        }
        tip(TrainForm.Knob.SEQ, "Tokens per row; at most the model's context");
        tip(TrainForm.Knob.ACCUM, "Micro-batches per optimizer step (their gradients are averaged)");
        tip(TrainForm.Knob.EVAL_EVERY, "Steps between eval losses on the held-out data (0 = only at the end)");
        tip(TrainForm.Knob.SAMPLE_EVERY, "Steps between sample stories (0 = none)");
        tip(TrainForm.Knob.SAVE_EVERY, "Steps between checkpoints (0 = only at the end)");
        tip(TrainForm.Knob.GRAD_CLIP, "Global gradient norm to clip to (0 = no clipping)");
        formSummary.textProperty().bind(form.summaryProperty());
        saveCheck.selectedProperty().bindBidirectional(form.saveProperty());
        outputField.textProperty().bindBidirectional(form.outputDirProperty());
        outputField.disableProperty().bind(form.saveProperty().not());
        outputField.setTooltip(new Tooltip("Each run gets a folder here: model.bin (the latest), step-N.bin, model.state/ to resume, tokenizer.bin"));
        outputButton.setOnAction(e -> chooseOutput());
        outputButton.disableProperty().bind(form.saveProperty().not());
        errorLine(outputError, form.error(TrainForm.Choice.OUTPUT));

        deviceBox.setItems(controller.devices());
        deviceBox.setCellFactory(v -> new DeviceCell());
        deviceBox.setButtonCell(new DeviceCell());
        Runnable selectDevice = () -> {
            for (TrainDevice d : controller.devices()) if (d.id().equals(form.deviceProperty().get())) deviceBox.setValue(d);
        };
        selectDevice.run();
        controller.devices().addListener((javafx.collections.ListChangeListener<TrainDevice>) ch -> selectDevice.run());
        deviceBox.valueProperty().addListener((o, a, b) -> {
            if (b != null && b.usable()) form.deviceProperty().set(b.id());
            else if (b != null) deviceBox.setValue(a);
        });
        int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
        var f = new SpinnerValueFactory.IntegerSpinnerValueFactory(1, cores, Math.max(1, Math.min(cores, form.threadsProperty().get())));
        threadsSpinner.setValueFactory(f);
        f.valueProperty().addListener((o, a, b) -> {
            if (b != null) form.threadsProperty().set(b);
        });
        threadsSpinner.setTooltip(new Tooltip("CPU threads for training (the GPU ignores it)"));
    }

    /** Shows enum values by their command-line names; the combo boxes are not editable, so nothing is parsed back. */
    private static <T> javafx.util.StringConverter<T> lowerCase(java.util.function.Function<T, String> name) {
        return new javafx.util.StringConverter<>() {
            @Override
            public String toString(T t) {
                return t == null ? "" : name.apply(t);
            }

            @Override
            public T fromString(String s) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private void tip(TrainForm.Knob k, String text) {
        Node n = knobGrid.lookup("#train-" + k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        if (n instanceof TextField t) t.setTooltip(new Tooltip(text));
    }

    /** A device in the chooser: unusable ones greyed out, with the reason as tooltip. */
    private static final class DeviceCell extends ListCell<TrainDevice> {
        @Override
        protected void updateItem(TrainDevice d, boolean empty) {
            super.updateItem(d, empty);
            if (empty || d == null) {
                setText(null);
                setTooltip(null);
                setDisable(false);
                return;
            }
            setText(d.label());
            setDisable(!d.usable());
            setTooltip(d.usable() ? null : new Tooltip(d.reason()));
            setOpacity(d.usable() ? 1 : 0.55);
        }
    }

    private static void errorLine(Label label, javafx.beans.property.ReadOnlyStringProperty error) {
        label.textProperty().bind(error);
        label.visibleProperty().bind(error.isNotNull());
        label.managedProperty().bind(error.isNotNull());
    }

    // ---- the run

    private void buildRunControls() {
        startButton.setGraphic(AppIcon.PLAY.node());
        stopButton.setGraphic(AppIcon.STOP.node());
        startButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !form.isValid() || model.state().isBusy(),
                form.validProperty(), model.stateProperty()));
        startButton.setOnAction(e -> controller.start());
        pauseButton.textProperty().bind(Bindings.createStringBinding(() -> switch (model.state()) {
            case PAUSED, PAUSING -> "Resume";
            default -> "Pause";
        }, model.stateProperty()));
        pauseButton.disableProperty().bind(Bindings.createBooleanBinding(() -> switch (model.state()) {
            case PREPARING, RUNNING, PAUSING, PAUSED -> false;
            default -> true;
        }, model.stateProperty()));
        pauseButton.setOnAction(e -> {
            if (model.state() == RunState.PAUSED || model.state() == RunState.PAUSING) controller.resume();
            else controller.pause();
        });
        stopButton.disableProperty().bind(Bindings.createBooleanBinding(() -> !model.state().isBusy() || model.state() == RunState.STOPPING,
                model.stateProperty()));
        stopButton.setOnAction(e -> controller.stop());
        stopButton.setTooltip(new Tooltip("End the run after the current step (with checkpoints on, a final one is saved)"));
        progressBar.progressProperty().bind(model.progressProperty());
        progressLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            String t = model.progressTextProperty().get();
            return t == null || t.isEmpty() ? (model.state() == RunState.IDLE ? "Set up a run on the left and press Start." : "") : t;
        }, model.progressTextProperty(), model.stateProperty()));
        runInfoLabel.textProperty().bind(model.runInfoProperty());
        model.errorProperty().addListener((o, a, b) -> showError(b));
        noticeLabel.textProperty().bind(Bindings.createStringBinding(() -> model.noticeProperty().get() == null ? "" : model.noticeProperty().get(),
                model.noticeProperty()));
    }

    private void showError(String error) {
        messageBox.getChildren().clear();
        if (error == null) return;
        Message m = new Message("Training failed", error, AppIcon.ERROR.node());
        m.getStyleClass().add(Styles.DANGER);
        m.setId("trainError");
        messageBox.getChildren().add(m);
    }

    private void buildChartControls() {
        smoothingSlider.setValue(controller.curves().smoothing());
        smoothingSlider.valueProperty().addListener((o, a, b) -> controller.curves().setSmoothing(b.doubleValue()));
        smoothingSlider.setTooltip(new Tooltip("Exponential moving average of the train loss, debiased as TensorBoard's (0 = raw)"));
        smoothingValue.textProperty().bind(Bindings.createStringBinding(() -> String.format(Locale.ROOT, "%.3f", smoothingSlider.getValue()),
                smoothingSlider.valueProperty()));
        lossChart.logYProperty().bind(logSwitch.selectedProperty());
        gradChart.logYProperty().bind(logSwitch.selectedProperty());
        xAxisBox.getItems().setAll(TrainCurves.X_AXES);
        xAxisBox.setValue(TrainCurves.X_AXES.getFirst());
        xAxisBox.valueProperty().addListener((o, a, b) -> {
            int d = Math.max(0, TrainCurves.X_AXES.indexOf(b));
            for (SeriesChart s : List.of(lossChart, lrChart, gradChart, speedChart)) s.xDimensionProperty().set(d);
        });
    }

    // ---- preview, samples, checkpoints

    private void buildTabs() {
        previewList.setCellFactory(v -> new PreviewCell());
        previewSummary.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        previewList.setPlaceholder(placeholder(model.previewMessageProperty()));
        model.previewProperty().addListener((o, a, p) -> showPreview(p));
        model.previewMessageProperty().addListener((o, a, b) -> showPreview(model.previewProperty().get()));
        showPreview(model.previewProperty().get());

        samplesList.setItems(model.samples());
        samplesList.setCellFactory(v -> new SampleCell());
        samplesList.setPlaceholder(new Label("Stories the model writes during training appear here (Sample every N steps)."));
        samplesTab.textProperty().bind(Bindings.createStringBinding(() -> "Samples (" + model.samples().size() + ")", model.samples()));

        checkpointList.setItems(model.checkpoints());
        checkpointList.setCellFactory(v -> new CheckpointCell());
        checkpointList.setPlaceholder(new Label("Saved checkpoints appear here (Save every N steps, and at the end)."));
        checkpointsTab.textProperty().bind(Bindings.createStringBinding(() -> "Checkpoints (" + model.checkpoints().size() + ")", model.checkpoints()));
        // the buttons act on the selected checkpoint, or on the newest when none is selected
        var none = Bindings.isEmpty(model.checkpoints());
        openButton.disableProperty().bind(none);
        copyButton.disableProperty().bind(none);
        openButton.setGraphic(AppIcon.GENERATE.node());
        copyButton.setGraphic(AppIcon.COPY.node());
        openButton.setTooltip(new Tooltip("Load this checkpoint as the window's model and write with it in Generate"));
        openButton.setOnAction(e -> {
            var c = chosenCheckpoint();
            if (c != null) controller.openInGenerate(c);
        });
        copyButton.setOnAction(e -> {
            var c = chosenCheckpoint();
            if (c != null) controller.copyPath(c);
        });
        runFolderLabel.textProperty().bind(Bindings.createStringBinding(() -> model.runFolderProperty().get() == null ? ""
                : "Run folder: " + model.runFolderProperty().get().toAbsolutePath(), model.runFolderProperty()));
        checkpointList.setOnMouseClicked(e -> {
            var c = checkpointList.getSelectionModel().getSelectedItem();
            if (e.getClickCount() == 2 && c != null) controller.openInGenerate(c);
        });
    }

    private TrainModel.Checkpoint chosenCheckpoint() {
        var c = checkpointList.getSelectionModel().getSelectedItem();
        return c != null ? c : model.checkpoints().isEmpty() ? null : model.checkpoints().getFirst();
    }

    private static Label placeholder(ObservableStringValue text) {
        Label l = new Label();
        l.textProperty().bind(Bindings.createStringBinding(() -> text.get() == null ? "" : text.get(), text));
        l.setWrapText(true);
        l.getStyleClass().add("muted");
        return l;
    }

    private void showPreview(DataPreview p) {
        if (p == null) {
            previewList.getItems().clear();
            String m = model.previewMessageProperty().get();
            previewSummary.setText(m == null ? "" : m);
            previewSummary.getStyleClass().remove("error-text");
            if (m != null && !m.startsWith("Reading") && !m.startsWith("Choose")) previewSummary.getStyleClass().add("error-text");
            return;
        }
        previewSummary.getStyleClass().remove("error-text");
        String unit = p.format().conversational() ? "conversations" : p.format() == DataFormat.TOKENS ? "documents (BOS-separated)" : "documents";
        previewSummary.setText(String.format(Locale.ROOT, "%s · %,d %s · %,d tokens, %,d of them trained%s", p.format().cliName(), p.units(), unit,
                p.tokens(), p.trainedTokens(), p.format().conversational()
                        ? " · prompts (grey, italic) are masked out of the loss, answers (in colour) trained" : ""));
        previewList.getItems().setAll(p.items());
    }

    /** One example: its counts, then the text with the prompt part set apart from the trained part. */
    private final class PreviewCell extends ListCell<DataPreview.Item> {
        @Override
        protected void updateItem(DataPreview.Item item, boolean empty) {
            super.updateItem(item, empty);
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            Label head = new Label(String.format(Locale.ROOT, "#%d · %,d tokens, %,d trained", getIndex() + 1, item.tokens(), item.trainedTokens()));
            head.getStyleClass().add("preview-head");
            TextFlow flow = new TextFlow();
            flow.getStyleClass().add("preview-text");
            int budget = 700;
            boolean masked = item.segments().stream().anyMatch(x -> !x.trained());
            for (var seg : item.segments()) {
                if (budget <= 0) break;
                String s = seg.text().length() > budget ? seg.text().substring(0, budget) + "…" : seg.text();
                budget -= s.length();
                Text t = new Text(s);
                // with a masked prompt in the example, the trained answer stands out in the accent colour
                t.getStyleClass().add(!seg.trained() ? "example-prompt" : masked ? "preview-answer" : "example-trained");
                flow.getChildren().add(t);
            }
            if (item.segments().stream().allMatch(x -> x.text().isEmpty())) flow.getChildren().add(new Text("(token ids: no tokenizer to show them as text)"));
            flow.prefWidthProperty().bind(previewList.widthProperty().subtract(40));
            setGraphic(new VBox(2, head, flow));
        }
    }

    private final class SampleCell extends ListCell<TrainModel.Sample> {
        @Override
        protected void updateItem(TrainModel.Sample s, boolean empty) {
            super.updateItem(s, empty);
            setText(null);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            Label head = new Label("after step " + s.step());
            head.getStyleClass().add("preview-head");
            Label text = new Label(s.text().strip());
            text.setWrapText(true);
            text.prefWidthProperty().bind(samplesList.widthProperty().subtract(40));
            text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            setGraphic(new VBox(2, head, text));
        }
    }

    private static final class CheckpointCell extends ListCell<TrainModel.Checkpoint> {
        @Override
        protected void updateItem(TrainModel.Checkpoint c, boolean empty) {
            super.updateItem(c, empty);
            if (empty || c == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            StringBuilder sb = new StringBuilder("step " + c.step());
            if (Double.isFinite(c.loss())) sb.append(String.format(Locale.ROOT, " · loss %.4f", c.loss()));
            if (Double.isFinite(c.evalLoss())) sb.append(String.format(Locale.ROOT, " · eval %.4f", c.evalLoss()));
            sb.append(" · ").append(c.path().getFileName());
            setText(sb.toString());
            setTooltip(new Tooltip(c.path().toAbsolutePath().toString()));
        }
    }

    // ---- files

    private void chooseData() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose training data");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Data files", "*.txt", "*.json", "*.jsonl", "*.u16", "*.bin", "*.md"),
                new FileChooser.ExtensionFilter("All files", "*"));
        initialDir(fc, form.dataProperty().get());
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) form.dataProperty().set(f.toPath());
    }

    private void chooseEvalFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose eval data");
        initialDir(fc, form.dataProperty().get());
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) {
            form.evalFileProperty().set(f.toPath());
            evalFileRadio.setSelected(true);
        }
    }

    private void chooseTokenizer() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a tokenizer");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Tokenizers", "*.bin", "*.model", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        initialDir(fc, form.dataProperty().get());
        File f = fc.showOpenDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) form.tokenizerProperty().set(f.toPath());
    }

    private void chooseOutput() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Folder for the runs' checkpoints");
        Path p = Path.of(form.outputDirProperty().get().isBlank() ? "." : form.outputDirProperty().get());
        if (Files.isDirectory(p)) dc.setInitialDirectory(p.toFile());
        File f = dc.showDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) form.outputDirProperty().set(f.getAbsolutePath());
    }

    private static void initialDir(FileChooser fc, Path near) {
        if (near != null && near.toAbsolutePath().getParent() != null && Files.isDirectory(near.toAbsolutePath().getParent()))
            fc.setInitialDirectory(near.toAbsolutePath().getParent().toFile());
    }

    /** Shows the preview tab (after a hand-off). */
    void showPreviewTab() {
        tabs.getSelectionModel().select(previewTab);
    }
}
