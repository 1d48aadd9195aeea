package dev.llamascope.app.ui.inspect;

import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.model.ModelConfig;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SkinBase;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Builds the blocks of an {@link ArchitectureMap} as labelled nodes, rebuilt when the config or layer changes. */
public class ArchitectureMapSkin extends SkinBase<ArchitectureMap> {
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private final VBox root = new VBox(4);
    private final Map<ModelPart, Node> blocks = new EnumMap<>(ModelPart.class);

    public ArchitectureMapSkin(ArchitectureMap c) {
        super(c);
        root.getStyleClass().add("arch-root");
        root.setAlignment(Pos.TOP_CENTER);
        getChildren().add(root);
        registerChangeListener(c.configProperty(), e -> rebuild());
        registerChangeListener(c.layerProperty(), e -> rebuild());
        registerChangeListener(c.selectedProperty(), e -> markSelected());
        rebuild();
    }

    private void rebuild() {
        root.getChildren().clear();
        blocks.clear();
        ArchitectureMap c = getSkinnable();
        ModelConfig cfg = c.getConfig();
        if (cfg == null) {
            root.getChildren().add(new Label("No model loaded."));
            return;
        }
        int d = cfg.dim(), hs = cfg.headSize(), kv = cfg.kvDim(), h = cfg.hiddenDim(), v = cfg.vocabSize();
        root.getChildren().addAll(
                note(String.format(Locale.ROOT, "token ids (one of %,d)", v)),
                arrow(),
                block(ModelPart.EMBEDDING, "Token embedding", shape(v, d) + "  → a " + d + "-vector per token"),
                arrow());

        VBox layerBox = new VBox(4);
        layerBox.getStyleClass().add("arch-layer");
        layerBox.setAlignment(Pos.TOP_CENTER);
        int layer = c.layerProperty().get();
        Button prev = new Button("‹"), next = new Button("›");
        prev.getStyleClass().add("arch-layer-button");
        next.getStyleClass().add("arch-layer-button");
        prev.setDisable(layer <= 0);
        next.setDisable(layer >= cfg.nLayers() - 1);
        prev.setOnAction(e -> c.layerProperty().set(Math.max(0, layer - 1)));
        next.setOnAction(e -> c.layerProperty().set(Math.min(cfg.nLayers() - 1, layer + 1)));
        Label title = new Label(String.format(Locale.ROOT, "Layer %d of %d  (×%d, same shapes)", layer, cfg.nLayers(), cfg.nLayers()));
        title.getStyleClass().add("arch-layer-title");
        HBox header = new HBox(8, prev, title, next);
        header.setAlignment(Pos.CENTER);
        int group = cfg.nHeads() / cfg.nKvHeads();
        String gqa = cfg.nKvHeads() == cfg.nHeads() ? "every head has its own keys and values"
                : String.format(Locale.ROOT, "%d query heads share %d key/value heads (groups of %d: GQA)", cfg.nHeads(), cfg.nKvHeads(), group);
        layerBox.getChildren().addAll(header,
                block(ModelPart.ATTN_NORM, "RMSNorm", d + " gains"),
                arrow(),
                row(block(ModelPart.WQ, "Wq", shape(d, d)), block(ModelPart.WK, "Wk", shape(kv, d)), block(ModelPart.WV, "Wv", shape(kv, d))),
                arrow(),
                block(ModelPart.ROPE, "RoPE", "rotates q and k pairs by position · θ = " + trim(cfg.ropeTheta())),
                arrow(),
                block(ModelPart.ATTENTION, "Attention", String.format(Locale.ROOT, "%d heads × %d dims · softmax(q·k/√%d), causal", cfg.nHeads(), hs, hs)),
                heads(cfg),
                note(gqa),
                arrow(),
                block(ModelPart.WO, "Wo", shape(d, d)),
                residual(),
                arrow(),
                block(ModelPart.FFN_NORM, "RMSNorm", d + " gains"),
                arrow(),
                row(block(ModelPart.W1, "W1 (gate)", shape(h, d)), block(ModelPart.W3, "W3 (up)", shape(h, d))),
                arrow(),
                block(ModelPart.SWIGLU, "SwiGLU", "silu(W1 x) · W3 x   (" + h + " wide)"),
                arrow(),
                block(ModelPart.W2, "W2 (down)", shape(d, h)),
                residual());
        root.getChildren().addAll(layerBox, arrow(),
                block(ModelPart.FINAL_NORM, "Final RMSNorm", d + " gains"),
                arrow(),
                block(ModelPart.CLASSIFIER, "Classifier", shape(v, d) + (cfg.sharedClassifier() ? "  (the embedding, shared)" : "")),
                arrow(),
                note(String.format(Locale.ROOT, "%,d logits → softmax → next-token probabilities", v)));
        markSelected();
    }

    private static String shape(int rows, int cols) {
        return String.format(Locale.ROOT, "%,d × %,d", rows, cols);
    }

    private static String trim(float f) {
        return f == Math.rint(f) ? Long.toString((long) f) : Float.toString(f);
    }

    private Node block(ModelPart part, String name, String detail) {
        Label n = new Label(name);
        n.getStyleClass().add("arch-block-name");
        Label s = new Label(detail);
        s.getStyleClass().add("arch-block-shape");
        VBox b = new VBox(1, n, s);
        b.setAlignment(Pos.CENTER);
        b.getStyleClass().addAll("arch-block", part.hasWeights() ? "arch-weights" : "arch-op");
        b.setOnMouseClicked(e -> getSkinnable().setSelected(part));
        b.setAccessibleText(name + ", " + detail);
        b.setId("arch-" + part.name().toLowerCase(Locale.ROOT));
        blocks.put(part, b);
        return b;
    }

    /** The query heads as small squares coloured by the key/value head they share. */
    private Node heads(ModelConfig cfg) {
        HBox box = new HBox(3);
        box.setAlignment(Pos.CENTER);
        int group = cfg.nHeads() / cfg.nKvHeads();
        int shown = Math.min(cfg.nHeads(), 32);
        for (int i = 0; i < shown; i++) {
            Region r = new Region();
            r.getStyleClass().addAll("arch-head", "arch-head-group-" + ((i / group) % 8));
            r.setMinSize(12, 12);
            r.setPrefSize(12, 12);
            box.getChildren().add(r);
        }
        if (shown < cfg.nHeads()) box.getChildren().add(new Label("…"));
        return box;
    }

    private static HBox row(Node... nodes) {
        HBox r = new HBox(8, nodes);
        r.setAlignment(Pos.CENTER);
        return r;
    }

    private static Label arrow() {
        Label a = new Label("↓");
        a.getStyleClass().add("arch-arrow");
        return a;
    }

    private static Label residual() {
        Label r = new Label("⊕ added to the residual stream");
        r.getStyleClass().add("arch-residual");
        return r;
    }

    private static Label note(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("arch-note");
        l.setWrapText(true);
        return l;
    }

    private void markSelected() {
        ModelPart sel = getSkinnable().getSelected();
        blocks.forEach((p, n) -> n.pseudoClassStateChanged(SELECTED, p == sel));
    }
}
