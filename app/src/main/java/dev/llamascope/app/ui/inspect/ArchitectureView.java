package dev.llamascope.app.ui.inspect;

import dev.llamascope.app.ui.viz.ColorLegend;
import dev.llamascope.app.ui.viz.TensorView;
import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.inference.inspect.TensorSummary;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelConfig;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;

/**
 * The architecture tab: the map of blocks on the left; for the selected block its weights as a picture with
 * statistics and its activations for the current text; the explanation on the right.
 */
public final class ArchitectureView extends BorderPane {
    private final InspectModel model;
    private final InspectController controller;
    final ArchitectureMap map = new ArchitectureMap();
    final TensorView weights = new TensorView(), activations = new TensorView();
    private final ColorLegend weightLegend = new ColorLegend("weight"), activationLegend = new ColorLegend("activation");
    private final Label partTitle = Panels.title(""), role = Panels.explanation(""), weightStats = new Label(), activationStats = new Label();
    private final Label weightTitle = Panels.title("Weights"), activationTitle = Panels.title("Activations for your text");

    public ArchitectureView(InspectModel model, InspectController controller) {
        this.model = model;
        this.controller = controller;
        getStyleClass().add("architecture-view");
        ScrollPane mapScroll = new ScrollPane(map);
        mapScroll.setFitToWidth(true);
        mapScroll.setPrefWidth(430);
        mapScroll.setMinWidth(360);
        mapScroll.getStyleClass().add("arch-scroll");
        setLeft(mapScroll);
        weights.rowNameProperty().set("output");
        weights.colNameProperty().set("input");
        activations.rowNameProperty().set("position");
        activations.colNameProperty().set("feature");
        weights.setPrefSize(420, 210);
        activations.setPrefSize(420, 210);
        weightStats.getStyleClass().add("inspect-stats");
        activationStats.getStyleClass().add("inspect-stats");
        VBox detail = new VBox(6, partTitle, role, weightTitle, weights, weightLegend, weightStats, activationTitle, activations, activationLegend, activationStats);
        detail.getStyleClass().add("arch-detail");
        detail.setPadding(new Insets(6, 10, 6, 10));
        setCenter(detail);
        setRight(Panels.side(Panels.title("What you see"), Panels.explanation(Explanations.ARCHITECTURE)));

        map.selectedProperty().bindBidirectional(model.partProperty());
        map.layerProperty().bindBidirectional(model.layerProperty());
        model.modelProperty().addListener((o, a, b) -> {
            map.setConfig(b == null ? null : b.model().config());
            refresh();
        });
        model.inspectionProperty().addListener((o, a, b) -> refreshActivations());
        model.partProperty().addListener((o, a, b) -> refresh());
        model.layerProperty().addListener((o, a, b) -> refresh());
        LoadedModel lm = model.getModel();
        map.setConfig(lm == null ? null : lm.model().config());
        refresh();
    }

    private void refresh() {
        ModelPart part = model.partProperty().get();
        LoadedModel lm = model.getModel();
        if (part == null || lm == null) {
            partTitle.setText(lm == null ? "No model loaded" : "Click a block");
            role.setText("");
            weights.setSummary(null);
            weightStats.setText("");
            refreshActivations();
            return;
        }
        ModelConfig c = lm.model().config();
        int layer = model.layerProperty().get();
        partTitle.setText(part.label() + (part.perLayer() ? " · layer " + layer : ""));
        role.setText(part.role().substring(0, 1).toUpperCase(Locale.ROOT) + part.role().substring(1) + ".");
        int[] shape = part.weightShape(c);
        if (shape == null) {
            weightTitle.setText("Weights: none (a computation without parameters)");
            weights.setSummary(null);
            weightLegend.setVisible(false);
            weightStats.setText("");
        } else {
            String axes = shape[0] == 1 ? "one gain per dimension"
                    : part == ModelPart.EMBEDDING || part == ModelPart.CLASSIFIER ? "rows = vocabulary tokens, columns = dimensions"
                    : "rows = outputs, columns = inputs";
            weightTitle.setText(String.format(Locale.ROOT, "Weights  %,d × %,d  (%s)", shape[0], shape[1], axes));
            weights.rowNameProperty().set(part == ModelPart.EMBEDDING || part == ModelPart.CLASSIFIER ? "token" : shape[0] == 1 ? "row" : "output");
            weights.colNameProperty().set(part == ModelPart.EMBEDDING || part == ModelPart.CLASSIFIER || shape[0] == 1 ? "dimension" : "input");
            weightStats.setText("reading …");
            controller.weights(part, layer, s -> {
                weights.setSummary(s);
                weightLegend.setVisible(s != null);
                if (s != null) {
                    weightLegend.setScale(weights.currentScale());
                    weightStats.setText(stats(s));
                }
            }, err -> weightStats.setText("Could not read the weights: " + err));
        }
        refreshActivations();
    }

    private void refreshActivations() {
        ModelPart part = model.partProperty().get();
        Inspection in = model.getInspection();
        LoadedModel lm = model.getModel();
        if (part == null || lm == null) return;
        if (part.site() == null) {
            activationTitle.setText("Activations: the classifier's output is the logits (see Probabilities)");
            activations.setSummary(null);
            activationLegend.setVisible(false);
            activationStats.setText("");
            return;
        }
        if (in == null) {
            activationTitle.setText("Activations: inspect a text to see them");
            activations.setSummary(null);
            activationLegend.setVisible(false);
            activationStats.setText("");
            return;
        }
        int width = part.activationWidth(lm.model().config());
        activationTitle.setText(String.format(Locale.ROOT, "Activations for your text  %d tokens × %,d  (rows = tokens)", in.positions(), width));
        activationStats.setText("computing …");
        activations.rowLabelsProperty().set(in.pieces());
        controller.activations(part, model.layerProperty().get(), s -> {
            activations.setSummary(s);
            activationLegend.setVisible(s != null);
            if (s != null) {
                activationLegend.setScale(activations.currentScale());
                activationStats.setText(stats(s));
            }
        }, err -> activationStats.setText("Could not compute the activations: " + err));
    }

    static String stats(TensorSummary s) {
        var st = s.stats();
        String sampled = s.rows() < s.sourceRows() || s.cols() < s.sourceCols()
                ? String.format(Locale.ROOT, "  (picture sampled to %d × %d)", s.rows(), s.cols()) : "";
        return String.format(Locale.ROOT, "mean %.4f · std %.4f · Frobenius norm %.3f · min %.3f · max %.3f · %,d values%s",
                st.mean(), st.std(), st.frobenius(), st.min(), st.max(), st.count(), sampled);
    }
}
