package dev.llamascope.app.ui.inspect;

import dev.llamascope.app.ui.viz.AttentionHeatmap;
import dev.llamascope.app.ui.viz.ColorLegend;
import dev.llamascope.app.ui.viz.HeadGrid;
import dev.llamascope.app.ui.viz.HeadView;
import dev.llamascope.app.ui.viz.MatrixSource;
import dev.llamascope.engine.inference.inspect.AttentionMatrix;
import dev.llamascope.engine.inference.inspect.Inspection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The attention tab: one head as a heatmap, all heads as a grid, bertviz's head view, and one head's
 * QKᵀ/√d → mask → softmax steps side by side; a layer and head (or mean / max over heads) chooser shared by all.
 */
public final class AttentionView extends BorderPane {
    /** The four ways to look. */
    public enum Mode {
        HEATMAP("Heatmap"), GRID("All heads"), HEAD_VIEW("Head view"), STEPS("QKᵀ → mask → softmax");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private final InspectModel model;
    private final InspectController controller;
    final AttentionHeatmap heatmap = new AttentionHeatmap();
    final HeadGrid grid = new HeadGrid();
    final HeadView headView = new HeadView();
    final AttentionHeatmap[] steps = {new AttentionHeatmap(), new AttentionHeatmap(), new AttentionHeatmap()};
    private final ColorLegend legend = new ColorLegend("weight");
    private final ColorLegend[] stepLegends = {new ColorLegend("score"), new ColorLegend("score"), new ColorLegend("weight")};
    private final Label stepsStatus = new Label();
    private final ComboBox<Integer> layerBox = new ComboBox<>();
    private final ComboBox<String> headBox = new ComboBox<>();
    private final ToggleGroup modes = new ToggleGroup();
    private final Map<Mode, ToggleButton> modeButtons = new HashMap<>();
    private final Slider zoom = new Slider(1, 40, 16);
    private final CheckBox allHeads = new CheckBox("all heads of the layer, one colour each");
    private final StackPane center = new StackPane();
    private final Label explanation = Panels.explanation(Explanations.HEATMAP);
    /** Mean and max over heads per layer, computed on first use for the current inspection. */
    private final Map<String, AttentionMatrix> aggregates = new HashMap<>();
    private Node heatmapPane, gridPane, headViewPane, stepsPane;
    private Mode mode = Mode.HEATMAP;
    private boolean updatingChoices;

    public AttentionView(InspectModel model, InspectController controller) {
        this.model = model;
        this.controller = controller;
        getStyleClass().add("attention-view");
        setTop(toolbar());
        buildViews();
        center.getChildren().addAll(heatmapPane, gridPane, headViewPane, stepsPane);
        setCenter(center);
        setRight(Panels.side(Panels.title("What you see"), explanation, Panels.attentionNote()));
        BorderPane.setMargin(center, new Insets(6, 8, 6, 0));

        model.inspectionProperty().addListener((o, a, b) -> {
            aggregates.clear();
            refreshChoices();
            refresh();
        });
        model.layerProperty().addListener((o, a, b) -> refresh());
        model.headProperty().addListener((o, a, b) -> refresh());
        model.combineProperty().addListener((o, a, b) -> refresh());
        refreshChoices();
        setMode(Mode.HEATMAP);
    }

    private Node toolbar() {
        Label layerLabel = new Label("Layer"), headLabel = new Label("Heads");
        layerBox.setOnAction(e -> {
            if (!updatingChoices && layerBox.getValue() != null) model.layerProperty().set(layerBox.getValue());
        });
        headBox.setOnAction(e -> {
            if (updatingChoices || headBox.getValue() == null) return;
            int i = headBox.getSelectionModel().getSelectedIndex();
            Inspection in = model.getInspection();
            int heads = in == null ? 0 : in.config().nHeads();
            if (i < heads) {
                model.combineProperty().set(InspectModel.Combine.ONE_HEAD);
                model.headProperty().set(i);
            } else {
                model.combineProperty().set(i == heads ? InspectModel.Combine.MEAN : InspectModel.Combine.MAX);
            }
        });
        HBox modeBar = new HBox();
        modeBar.getStyleClass().add("segmented");
        for (Mode m : Mode.values()) {
            ToggleButton b = new ToggleButton(m.label);
            b.setToggleGroup(modes);
            b.setOnAction(e -> setMode(m));
            b.setId("mode-" + m.name().toLowerCase(java.util.Locale.ROOT));
            modeButtons.put(m, b);
            modeBar.getChildren().add(b);
        }
        zoom.setPrefWidth(120);
        zoom.valueProperty().bindBidirectional(heatmap.cellSizeProperty());
        Button fit = new Button("Fit");
        fit.setOnAction(e -> {
            double w = center.getWidth();
            if (mode == Mode.STEPS) for (AttentionHeatmap s : steps) s.fitWidth(w / 3);
            else heatmap.fitWidth(heatmap.getWidth() > 0 ? heatmap.getWidth() : w);
        });
        Label zoomLabel = new Label("Zoom");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(8, modeBar, spacer, layerLabel, layerBox, headLabel, headBox, zoomLabel, zoom, fit);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("inspect-toolbar");
        return bar;
    }

    private void buildViews() {
        heatmap.valueNameProperty().set("weight");
        heatmap.maskedTextProperty().set("masked");
        legend.setMaskedText("masked: a later token");
        VBox.setVgrow(heatmap, Priority.ALWAYS);
        heatmapPane = new VBox(6, heatmap, legend);

        grid.setOnOpenHead(h -> {
            model.layerProperty().set(h.layer());
            model.combineProperty().set(InspectModel.Combine.ONE_HEAD);
            model.headProperty().set(h.head());
            setMode(Mode.HEATMAP);
        });
        ColorLegend gridLegend = new ColorLegend("weight");
        gridLegend.setMaskedText("masked");
        gridLegend.scaleProperty().bind(Bindings.createObjectBinding(() -> grid.sequentialScale(0, 1), grid.styleProperties().toArray(javafx.beans.Observable[]::new)));
        VBox.setVgrow(grid, Priority.ALWAYS);
        gridPane = new VBox(6, grid, gridLegend);

        allHeads.selectedProperty().addListener((o, a, b) -> refresh());
        VBox.setVgrow(headView, Priority.ALWAYS);
        headViewPane = new VBox(6, allHeads, headView);

        String[] titles = {"1 · scores q·k/√d (every pair)", "2 · causal mask (later tokens −∞)", "3 · softmax of each row"};
        HBox row = new HBox(10);
        for (int i = 0; i < 3; i++) {
            AttentionHeatmap s = steps[i];
            s.cellSizeProperty().bindBidirectional(heatmap.cellSizeProperty());
            if (i > 0) {
                s.scrollXProperty().bindBidirectional(steps[0].scrollXProperty());
                s.scrollYProperty().bindBidirectional(steps[0].scrollYProperty());
            }
            s.setDiverging(i < 2);
            s.valueNameProperty().set(i < 2 ? "score" : "weight");
            s.maskedTextProperty().set("−∞");
            if (i < 2) s.setValueRange(Double.NaN, Double.NaN);
            if (i == 1) stepLegends[i].setMaskedText("−∞");
            if (i == 2) stepLegends[i].setMaskedText("0 (masked)");
            Label t = Panels.title(titles[i]);
            // as tall as the matrix (up to the space there is), the legend right under it
            s.setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            VBox.setVgrow(s, Priority.SOMETIMES);
            VBox col = new VBox(4, t, s, stepLegends[i]);
            HBox.setHgrow(col, Priority.ALWAYS);
            col.setPrefWidth(300);
            col.setMinWidth(120);
            row.getChildren().add(col);
        }
        VBox.setVgrow(row, Priority.ALWAYS);
        stepsStatus.getStyleClass().add("inspect-status");
        stepsPane = new VBox(6, stepsStatus, row);
    }

    /** Shows one of the four views. */
    public void setMode(Mode m) {
        mode = m;
        modeButtons.get(m).setSelected(true);
        heatmapPane.setVisible(m == Mode.HEATMAP);
        gridPane.setVisible(m == Mode.GRID);
        headViewPane.setVisible(m == Mode.HEAD_VIEW);
        stepsPane.setVisible(m == Mode.STEPS);
        explanation.setText(switch (m) {
            case HEATMAP -> Explanations.HEATMAP;
            case GRID -> Explanations.GRID;
            case HEAD_VIEW -> Explanations.HEAD_VIEW;
            case STEPS -> Explanations.STEPS;
        });
        refresh();
        if (m == Mode.STEPS) javafx.application.Platform.runLater(this::fitSteps);
    }

    /** Three panels side by side: shrink the cells (never grow them) until a panel shows every column. */
    private void fitSteps() {
        Inspection in = model.getInspection();
        double w = steps[0].getWidth();
        if (in == null || w <= 0) return;
        double fit = Math.floor((w - 60) / in.positions());
        // not below 11 px: labels stay legible, and the three panels scroll together when the text is long
        if (fit < heatmap.getCellSize()) heatmap.setCellSize(Math.max(11, fit));
    }

    public Mode getMode() {
        return mode;
    }

    private void refreshChoices() {
        updatingChoices = true;
        try {
            Inspection in = model.getInspection();
            layerBox.getItems().clear();
            headBox.getItems().clear();
            if (in == null) return;
            for (int l = 0; l < in.config().nLayers(); l++) layerBox.getItems().add(l);
            int group = in.config().nHeads() / in.config().nKvHeads();
            for (int h = 0; h < in.config().nHeads(); h++)
                headBox.getItems().add(group > 1 ? "head " + h + " (kv " + h / group + ")" : "head " + h);
            headBox.getItems().addAll(InspectModel.Combine.MEAN.toString(), InspectModel.Combine.MAX.toString());
        } finally {
            updatingChoices = false;
        }
    }

    /** The matrix the heatmap and head view show: one head, or the mean / max over the layer's heads. */
    private AttentionMatrix selected(Inspection in) {
        int l = model.layerProperty().get();
        return switch (model.combineProperty().get()) {
            case ONE_HEAD -> in.attention()[l][model.headProperty().get()];
            case MEAN -> aggregates.computeIfAbsent("mean " + l, k -> in.aggregate(l, Inspection.Aggregate.MEAN));
            case MAX -> aggregates.computeIfAbsent("max " + l, k -> in.aggregate(l, Inspection.Aggregate.MAX));
        };
    }

    private String selectionName() {
        return switch (model.combineProperty().get()) {
            case ONE_HEAD -> "head " + model.headProperty().get();
            case MEAN -> "mean";
            case MAX -> "max";
        };
    }

    private void refresh() {
        Inspection in = model.getInspection();
        updatingChoices = true;
        try {
            if (in != null) {
                layerBox.getSelectionModel().select(Integer.valueOf(model.layerProperty().get()));
                int idx = switch (model.combineProperty().get()) {
                    case ONE_HEAD -> model.headProperty().get();
                    case MEAN -> in.config().nHeads();
                    case MAX -> in.config().nHeads() + 1;
                };
                headBox.getSelectionModel().select(idx);
            }
        } finally {
            updatingChoices = false;
        }
        if (in == null) {
            heatmap.setMatrix(null);
            grid.setMatrices(null);
            headView.setLabels(List.of());
            headView.setHeads(List.of());
            for (AttentionHeatmap s : steps) s.setMatrix(null);
            return;
        }
        switch (mode) {
            case HEATMAP -> {
                heatmap.setLabels(in.pieces());
                heatmap.setMatrix(MatrixSource.of(selected(in)));
                heatmap.valueNameProperty().set(model.combineProperty().get() == InspectModel.Combine.ONE_HEAD ? "weight"
                        : model.combineProperty().get() == InspectModel.Combine.MEAN ? "mean weight over heads" : "largest weight of any head");
                legend.setScale(heatmap.currentScale());
            }
            case GRID -> {
                MatrixSource[][] m = new MatrixSource[in.config().nLayers()][in.config().nHeads()];
                for (int l = 0; l < m.length; l++) for (int h = 0; h < m[l].length; h++) m[l][h] = MatrixSource.of(in.attention()[l][h]);
                int[] kv = new int[in.config().nHeads()];
                int group = in.config().nHeads() / in.config().nKvHeads();
                for (int h = 0; h < kv.length; h++) kv[h] = h / group;
                grid.kvGroupOfProperty().set(group > 1 ? kv : null);
                double w = Math.max(400, center.getWidth() > 0 ? center.getWidth() : 900);
                grid.setThumbSize(Math.max(40, Math.min(120, Math.floor((w - 70) / in.config().nHeads() - 8))));
                grid.setMatrices(m);
                grid.setSelected(model.combineProperty().get() == InspectModel.Combine.ONE_HEAD
                        ? new HeadGrid.Head(model.layerProperty().get(), model.headProperty().get()) : null);
            }
            case HEAD_VIEW -> {
                headView.setLabels(in.pieces());
                int l = model.layerProperty().get();
                if (allHeads.isSelected()) {
                    List<MatrixSource> hs = new ArrayList<>();
                    List<String> names = new ArrayList<>();
                    for (int h = 0; h < in.config().nHeads(); h++) {
                        hs.add(MatrixSource.of(in.attention()[l][h]));
                        names.add("h" + h);
                    }
                    headView.setHeads(hs);
                    headView.headNamesProperty().set(names);
                } else {
                    headView.setHeads(List.of(MatrixSource.of(selected(in))));
                    headView.headNamesProperty().set(List.of("layer " + l + " " + selectionName()));
                }
            }
            case STEPS -> refreshSteps(in);
        }
    }

    private void refreshSteps(Inspection in) {
        int l = model.layerProperty().get(), h = model.headProperty().get();
        boolean combined = model.combineProperty().get() != InspectModel.Combine.ONE_HEAD;
        stepsStatus.setText("Computing the steps of layer " + l + " head " + h + " …");
        controller.steps(l, h, st -> {
            for (AttentionHeatmap s : steps) s.setLabels(in.pieces());
            steps[0].setMatrix(MatrixSource.dense(st.n(), st.raw(), false));
            steps[1].setMatrix(MatrixSource.dense(st.n(), st.masked(), true));
            steps[2].setMatrix(MatrixSource.dense(st.n(), st.softmax(), true));
            // both score panels on the scale of the scores the model uses (later pairs beyond it show at full colour),
            // so the mask is the only difference between them
            float[] r = steps[1].getMatrix().range();
            steps[0].setValueRange(r[0], r[1]);
            steps[1].setValueRange(r[0], r[1]);
            for (int i = 0; i < 3; i++) stepLegends[i].setScale(steps[i].currentScale());
            stepsStatus.setText("Layer " + l + ", head " + h + (combined ? " (the steps are per head: choose a head; showing head " + h + ")" : "")
                    + ". The raw scores use queries and keys after RoPE.");
        }, err -> stepsStatus.setText("Could not compute the steps: " + err));
    }
}
