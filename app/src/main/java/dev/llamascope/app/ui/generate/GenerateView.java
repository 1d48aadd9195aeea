package dev.llamascope.app.ui.generate;

import atlantafx.base.controls.Message;
import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.catalog.ModelBanner;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.app.ui.settings.GenerationPrefs;
import java.io.File;
import java.util.Locale;
import java.util.function.DoubleFunction;
import java.util.function.UnaryOperator;
import javafx.beans.binding.Bindings;
import javafx.beans.property.DoubleProperty;
import javafx.fxml.FXML;
import javafx.geometry.HPos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.TextFormatter;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.FileChooser;

/**
 * The Generate pane's view: prompt, toolbar, the living story view, the stats line and the knobs. Layout in
 * generate.fxml; the story view is built here.
 */
public final class GenerateView extends BorderPane {
    @FXML private TextArea promptArea;
    @FXML private Button generateButton, stopButton, copyButton, saveButton, newSeedButton, inspectButton;
    @FXML private ComboBox<Preset> presetBox;
    @FXML private ToggleSwitch colourSwitch;
    @FXML private StackPane storyHolder;
    @FXML private Label noticeLabel;
    @FXML private Label storyPlaceholder, speedLabel, ttftLabel, promptLabel, generatedLabel, stopLabel, contextLabel;
    @FXML private Label temperatureValue, topPValue, minPValue, repeatValue;
    @FXML private Slider temperatureSlider, topPSlider, minPSlider, repeatSlider;
    @FXML private Spinner<Integer> topKSpinner, maxTokensSpinner, threadsSpinner;
    @FXML private TextField seedField;
    @FXML private ProgressBar contextBar;
    @FXML private VBox messageBox, legend, bannerSlot;
    @FXML private GridPane knobGrid;

    private final AppContext ctx;
    private final GenerateController controller;
    private final GenerateModel model;
    private final StoryView storyView;

    public GenerateView(AppContext ctx, GenerateController controller) {
        this.ctx = ctx;
        this.controller = controller;
        this.model = controller.model();
        FxmlViews.load(this, "generate.fxml");

        storyView = new StoryView(model.story());
        storyView.setId("story");
        storyHolder.getChildren().addFirst(storyView);
        storyView.colourTokensProperty().bind(model.knobs().colourTokens);
        storyView.branchingAllowedProperty().bind(controller.canBranchProperty());
        storyView.setOnBranch(controller::branch);
        ctx.session().currentProperty().addListener((o, a, b) -> updateLabels(b));
        updateLabels(ctx.session().current());
        storyPlaceholder.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> model.story().tokenCount() == 0 && !model.state().isBusy(), model.story().tokenCountProperty(), model.stateProperty()));
        storyPlaceholder.textProperty().bind(Bindings.createStringBinding(() -> ctx.session().current() == null
                ? "No model loaded. Open one in Models (" + AppAction.OPEN_MODEL.key().getDisplayText() + ")."
                : "Write a prompt and press Generate (" + AppAction.GENERATE.key().getDisplayText() + ").\nHover a word of the story to see what else the model considered.",
                ctx.session().currentProperty()));
        storyPlaceholder.setMouseTransparent(true);

        promptArea.textProperty().bindBidirectional(model.promptProperty());
        promptArea.setPromptText("Once upon a time");
        // The shortcuts work while typing in the prompt too (the text area would take Ctrl+Enter and Esc).
        promptArea.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            for (AppAction a : new AppAction[]{AppAction.GENERATE, AppAction.STOP, AppAction.INSPECT_STORY}) {
                if (a.key().match(e)) {
                    ctx.actions().execute(a);
                    e.consume();
                }
            }
        });

        ctx.actions().bind(generateButton, AppAction.GENERATE, true);
        ctx.actions().bind(stopButton, AppAction.STOP, true);
        // Copy and Save as icons (their tooltips name them and their shortcuts), so that Inspect fits on the row.
        ctx.actions().bind(copyButton, AppAction.COPY_STORY, false);
        ctx.actions().bind(saveButton, AppAction.SAVE_STORY, false);
        ctx.actions().bind(newSeedButton, AppAction.NEW_SEED, false);
        ctx.actions().bind(inspectButton, AppAction.INSPECT_STORY, true);
        inspectButton.getTooltip().setText(AppAction.INSPECT_STORY.tooltip() + ": look inside the model at this prompt and story"
                + " (attention, next-token odds, logit lens; the first 512 tokens)");

        ModelBanner banner = new ModelBanner(ctx.catalog(), ctx.session(), () -> ctx.actions().execute(AppAction.OPEN_MODEL), "generate");
        bannerSlot.getChildren().setAll(banner);
        bannerSlot.visibleProperty().bind(banner.visibleProperty());
        bannerSlot.managedProperty().bind(banner.visibleProperty());

        ttftLabel.setTooltip(new javafx.scene.control.Tooltip("Time to first token: prompt processing and the first sampled token"));
        contextBar.setTooltip(new javafx.scene.control.Tooltip("Positions of the model's context in use"));
        bindKnobs();
        buildLegend();
        // Toolbar and stats keep their natural width: the story area gives way, not the labels.
        for (var n : ((javafx.scene.layout.Pane) generateButton.getParent()).getChildren())
            if (n instanceof javafx.scene.control.Control c) c.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        model.statsProperty().addListener((o, a, b) -> showStats(b));
        showStats(model.stats());
        model.errorProperty().addListener((o, a, b) -> showMessages());
        model.noticeProperty().addListener((o, a, b) -> showMessages());
    }

    public StoryView storyView() {
        return storyView;
    }

    private void updateLabels(ModelHandle h) {
        if (h != null) {
            var tok = h.loaded().tokenizer();
            storyView.setTokenLabels(id -> tok.pieceLabel(id));
            int ctxLen = h.summary().contextLength();
            if (maxTokensSpinner.getValueFactory() instanceof SpinnerValueFactory.IntegerSpinnerValueFactory f)
                f.setMax(Math.max(1, ctxLen - 1));
        }
    }

    private void bindKnobs() {
        SamplingKnobs k = model.knobs();
        ColumnConstraints c0 = new ColumnConstraints();
        c0.setHgrow(Priority.ALWAYS);
        c0.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        ColumnConstraints c1 = new ColumnConstraints();
        c1.setHalignment(HPos.RIGHT);
        knobGrid.getColumnConstraints().setAll(c0, c1);

        slider(temperatureSlider, temperatureValue, k.temperature, v -> v < 0.005 ? "0 (greedy)" : fmt(v));
        slider(topPSlider, topPValue, k.topP, v -> v <= 0.005 || v >= 0.995 ? "off" : fmt(v));
        slider(minPSlider, minPValue, k.minP, v -> v < 0.005 ? "off" : fmt(v));
        slider(repeatSlider, repeatValue, k.repeatPenalty, v -> Math.abs(v - 1) < 0.005 ? "off" : fmt(v));

        intSpinner(topKSpinner, 0, 100_000, k.topK);
        intSpinner(maxTokensSpinner, 1, GenerationPrefs.MAX_TOKENS_LIMIT, k.maxTokens);
        intSpinner(threadsSpinner, 1, Math.max(1, Runtime.getRuntime().availableProcessors()), ctx.session().threadsProperty());

        UnaryOperator<TextFormatter.Change> digitsOnly = ch -> ch.getControlNewText().matches("\\d{0,18}") ? ch : null;
        TextFormatter<Long> seedFormat = new TextFormatter<>(new javafx.util.converter.LongStringConverter() {
            @Override
            public Long fromString(String s) {
                Long v = s == null || s.isBlank() ? null : super.fromString(s.trim());
                return v == null || v <= 0 ? k.seed.get() : v;
            }
        }, k.seed.get(), digitsOnly);
        seedField.setTextFormatter(seedFormat);
        seedFormat.valueProperty().addListener((o, a, b) -> {
            if (b != null) k.seed.set(b);
        });
        k.seed.addListener((o, a, b) -> seedFormat.setValue(b.longValue()));

        presetBox.getItems().setAll(Preset.values());
        presetBox.setTooltip(new javafx.scene.control.Tooltip("Sampling preset: greedy, balanced (run.c's -t 0.8 -p 0.9) or creative"));
        colourSwitch.setTooltip(new javafx.scene.control.Tooltip("Colour each token by how likely the model found it"));
        presetBox.setPromptText("Custom");
        presetBox.setButtonCell(new ListCell<>() {
            @Override
            protected void updateItem(Preset p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? "Custom" : p.label());
            }
        });
        Runnable syncPreset = () -> presetBox.setValue(k.matchingPreset());
        for (var p : new javafx.beans.Observable[]{k.temperature, k.topP, k.topK, k.minP, k.repeatPenalty}) p.addListener(o -> syncPreset.run());
        syncPreset.run();
        presetBox.setOnAction(e -> {
            Preset p = presetBox.getValue();
            if (p != null && !p.matches(k)) controller.applyPreset(p);
        });

        colourSwitch.selectedProperty().bindBidirectional(k.colourTokens);

        // Knobs stay editable while generating; they apply to the next generation. The prompt too.
        generateButton.setDefaultButton(false);
    }

    private static void slider(Slider s, Label value, DoubleProperty p, DoubleFunction<String> text) {
        s.valueProperty().bindBidirectional(p);
        value.textProperty().bind(Bindings.createStringBinding(() -> text.apply(p.get()), p));
        value.setMinWidth(70);
    }

    private static void intSpinner(Spinner<Integer> s, int min, int max, javafx.beans.property.IntegerProperty p) {
        var f = new SpinnerValueFactory.IntegerSpinnerValueFactory(min, max, Math.max(min, Math.min(max, p.get())));
        s.setValueFactory(f);
        f.valueProperty().addListener((o, a, b) -> {
            if (b != null) p.set(b);
        });
        p.addListener((o, a, b) -> f.setValue(b.intValue()));
        // Commit typed text when the field loses focus, not only on Enter.
        s.focusedProperty().addListener((o, was, now) -> {
            if (!now) s.commitValue();
        });
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private void buildLegend() {
        for (Likelihood k : new Likelihood[]{Likelihood.HIGH, Likelihood.MID, Likelihood.LOW, Likelihood.VERY_LOW}) {
            Text swatch = new Text("Abc");
            swatch.getStyleClass().addAll("swatch", k.styleClass());
            Label l = new Label(k.label(), swatch);
            l.getStyleClass().add("muted");
            legend.getChildren().add(l);
        }
    }

    private void showStats(GenerationStats s) {
        boolean any = s.context() > 0;
        speedLabel.setGraphic(AppIcon.SPEED.node(14));
        speedLabel.setText(any ? String.format(Locale.ROOT, "%.1f tok/s", s.tokensPerSecond()) : "— tok/s");
        ttftLabel.setGraphic(AppIcon.TIMER.node(14));
        ttftLabel.setText(Double.isNaN(s.firstTokenMillis()) ? "TTFT —" : String.format(Locale.ROOT, "TTFT %.0f ms", s.firstTokenMillis()));
        promptLabel.setText("prompt " + s.promptTokens());
        generatedLabel.setText("generated " + s.generated());
        stopLabel.setText(s.stopReason() == null ? (model.state().isBusy() ? "generating…" : "") : "stop: " + s.stopReason());
        contextBar.setProgress(s.contextFraction());
        contextLabel.setText(any ? String.format(Locale.ROOT, "%,d / %,d context", s.contextUsed(), s.context()) : "context —");
    }

    private void showMessages() {
        messageBox.getChildren().clear();
        String error = model.errorProperty().get();
        if (error != null) {
            Message m = new Message("Generation failed", error, AppIcon.ERROR.node());
            m.getStyleClass().add(Styles.DANGER);
            m.setId("generateError");
            messageBox.getChildren().add(m);
        }
        noticeLabel.setText(model.noticeProperty().get() == null ? "" : model.noticeProperty().get());
    }

    /** Asks where to save the story, then saves it. */
    void chooseSaveFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save the story");
        fc.setInitialFileName("story.txt");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("Text", "*.txt"));
        File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) controller.save(f.toPath());
    }
}
