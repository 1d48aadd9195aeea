package dev.llamascope.app.ui.inspect;

import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.model.ModelConfig;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.control.Control;
import javafx.scene.control.Skin;

/**
 * The model drawn as its blocks in forward order, with the loaded model's real shapes: the embedding, one
 * transformer block (RMSNorm → Wq, Wk, Wv → RoPE → attention heads with their GQA groups → Wo → add; RMSNorm →
 * W1, W3 → SwiGLU → W2 → add) for the chosen layer, the final RMSNorm and the classifier. Clicking a block
 * selects its {@link ModelPart}. Blocks are nodes styled by inspect.css (.arch-block, :selected).
 */
public class ArchitectureMap extends Control {
    private final ObjectProperty<ModelConfig> config = new SimpleObjectProperty<>(this, "config");
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final ObjectProperty<ModelPart> selected = new SimpleObjectProperty<>(this, "selected");

    public ArchitectureMap() {
        getStyleClass().add("architecture-map");
    }

    @Override
    protected Skin<?> createDefaultSkin() {
        return new ArchitectureMapSkin(this);
    }

    public final ObjectProperty<ModelConfig> configProperty() { return config; }
    public final ModelConfig getConfig() { return config.get(); }
    public final void setConfig(ModelConfig c) { config.set(c); }

    /** The transformer block shown (all have the same shapes; weights and activations differ). */
    public final IntegerProperty layerProperty() { return layer; }

    public final ObjectProperty<ModelPart> selectedProperty() { return selected; }
    public final ModelPart getSelected() { return selected.get(); }
    public final void setSelected(ModelPart p) { selected.set(p); }
}
