package dev.llamascope.app.ui.inspect;

import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.tensor.ComputePool;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.TextArea;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * "Inside the model": a text box and four tabs — attention, next-token probabilities, the logit lens, and the
 * architecture map. Self-contained: give it the executor engine work runs on and a compute pool (or, in the app, a
 * {@link ModelAccess} to the session's model and compute lane), set the model with {@link #modelProperty()} (or
 * {@link #setModel}), and it inspects the text on demand ({@link #inspect()}, or {@link #inspectUpToLimit(String)}
 * from another pane). Its stylesheet comes with it.
 */
public final class InspectPane extends BorderPane {
    private final InspectModel model = new InspectModel();
    private final InspectController controller;
    private final TabPane tabs = new TabPane();
    final AttentionView attention;
    final ProbabilitiesView probabilities;
    final LogitLensView lens;
    final ArchitectureView architecture;
    final TextArea text = new TextArea();
    final Button inspectButton = new Button("Inspect");

    /**
     * @param background executor for the engine work (a single inference thread is right; work queues behind it)
     * @param pool       compute pool for the forward passes (not used by anything else at the same time)
     */
    public InspectPane(Executor background, ComputePool pool) {
        this(background, Platform::runLater, pool);
    }

    /** With an explicit way to reach the FX thread (tests). */
    public InspectPane(Executor background, Consumer<Runnable> fx, ComputePool pool) {
        this(background, fx, ModelAccess.direct(pool));
    }

    /**
     * In the app: the engine work keeps the model open and borrows the compute pool through {@code access}.
     *
     * @param background executor for the engine work (one at a time is right; work queues behind it)
     */
    public InspectPane(Executor background, Consumer<Runnable> fx, ModelAccess access) {
        controller = new InspectController(model, background, fx, access);
        getStyleClass().add("inspect-pane");
        getStylesheets().add(InspectPane.class.getResource("inspect.css").toExternalForm());

        attention = new AttentionView(model, controller);
        probabilities = new ProbabilitiesView(model);
        lens = new LogitLensView(model);
        architecture = new ArchitectureView(model, controller);
        tabs.getTabs().addAll(tab("Attention", attention), tab("Probabilities", probabilities), tab("Logit lens", lens),
                tab("Architecture", architecture));
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        setTop(inputBar());
        setCenter(tabs);
    }

    private static Tab tab(String name, javafx.scene.Node content) {
        Tab t = new Tab(name, content);
        t.setId("tab-" + name.toLowerCase(java.util.Locale.ROOT).replace(' ', '-'));
        return t;
    }

    private VBox inputBar() {
        text.textProperty().bindBidirectional(model.textProperty());
        text.setPrefRowCount(2);
        text.setWrapText(true);
        text.setPromptText("A text to look inside the model with, e.g. the start of a story");
        text.setId("inspect-text");
        inspectButton.setDefaultButton(true);
        inspectButton.setId("inspect-button");
        inspectButton.setOnAction(e -> inspect());
        inspectButton.disableProperty().bind(model.modelProperty().isNull().or(model.stateProperty().isEqualTo(InspectModel.State.RUNNING)));
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(model.stateProperty().isEqualTo(InspectModel.State.RUNNING));
        Label status = new Label();
        status.setId("inspect-status");
        status.textProperty().bind(model.messageProperty());
        status.getStyleClass().add("inspect-status");
        model.stateProperty().addListener((o, a, b) -> {
            status.getStyleClass().remove("inspect-error");
            if (b == InspectModel.State.ERROR) status.getStyleClass().add("inspect-error");
        });
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox row = new HBox(8, text, inspectButton);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox statusRow = new HBox(6, busy, status);
        statusRow.setAlignment(Pos.CENTER_LEFT);
        Label note = new Label();
        note.setId("inspect-cut-note");
        note.getStyleClass().add("inspect-note");
        note.setWrapText(true);
        note.setMaxWidth(Double.MAX_VALUE);
        note.textProperty().bind(model.noteProperty());
        note.visibleProperty().bind(model.noteProperty().isNotNull());
        note.managedProperty().bind(note.visibleProperty());
        VBox box = new VBox(4, row, note, statusRow);
        box.setPadding(new Insets(8, 8, 4, 8));
        box.getStyleClass().add("inspect-input");
        return box;
    }

    /** The model inspected; null when none is loaded. */
    public ObjectProperty<LoadedModel> modelProperty() {
        return model.modelProperty();
    }

    public void setModel(LoadedModel m) {
        model.modelProperty().set(m);
    }

    /** The text in the box. */
    public StringProperty textProperty() {
        return model.textProperty();
    }

    /** Inspects the text in the box. */
    public void inspect() {
        controller.inspect();
    }

    /** Puts a text in the box and inspects it (a text longer than the limit is refused with a message). */
    public void inspect(String newText) {
        model.textProperty().set(newText);
        controller.inspect();
    }

    /**
     * Puts a text in the box and inspects it, cut to the pane's limit ({@link InspectController#MAX_TOKENS} tokens,
     * or the model's context) with a visible note when longer: for "look inside this story" from the Generate pane.
     */
    public void inspectUpToLimit(String newText) {
        model.textProperty().set(newText);
        controller.inspect(true);
    }

    /** The pane's state, for the shell and for tests. */
    public InspectModel state() {
        return model;
    }

    /** Shows a tab by name ("Attention", "Probabilities", "Logit lens", "Architecture"). */
    public void showTab(String name) {
        for (Tab t : tabs.getTabs()) if (t.getText().equalsIgnoreCase(name)) tabs.getSelectionModel().select(t);
    }

    public AttentionView attentionView() {
        return attention;
    }
}
