package dev.llamascope.app.ui.inspect;

import dev.llamascope.engine.inference.inspect.Inspection;
import dev.llamascope.engine.inference.inspect.LogitLens;
import dev.llamascope.engine.inference.inspect.ModelPart;
import dev.llamascope.engine.model.LoadedModel;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The state of the Inspect pane: the model and text, what the last inspection recorded, and what the views have
 * selected (layer, head or aggregate, position, model part). Results are read-only outside; the controller sets
 * them through the package-private setters, always on the FX thread.
 */
public final class InspectModel {
    /** IDLE: nothing inspected yet; RUNNING: the forward pass or the lens is computing; DONE; ERROR (message says why). */
    public enum State { IDLE, RUNNING, DONE, ERROR }

    /** How the heads of a layer are shown: one head, or combined. */
    public enum Combine {
        ONE_HEAD("one head"), MEAN("mean over heads"), MAX("max over heads");

        private final String label;

        Combine(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final ObjectProperty<LoadedModel> model = new SimpleObjectProperty<>(this, "model");
    private final StringProperty text = new SimpleStringProperty(this, "text", "Once upon a time, there was a little girl named Lily. She loved to play outside in the park.");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.IDLE);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "Load a model, write a text and press Inspect.");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note");
    private final ReadOnlyObjectWrapper<Inspection> inspection = new ReadOnlyObjectWrapper<>(this, "inspection");
    private final ReadOnlyObjectWrapper<LogitLens> lens = new ReadOnlyObjectWrapper<>(this, "lens");
    private final IntegerProperty layer = new SimpleIntegerProperty(this, "layer", 0);
    private final IntegerProperty head = new SimpleIntegerProperty(this, "head", 0);
    private final ObjectProperty<Combine> combine = new SimpleObjectProperty<>(this, "combine", Combine.ONE_HEAD);
    private final IntegerProperty position = new SimpleIntegerProperty(this, "position", -1);
    private final ObjectProperty<ModelPart> part = new SimpleObjectProperty<>(this, "part", ModelPart.WQ);
    private final IntegerProperty topK = new SimpleIntegerProperty(this, "topK", 5);

    public ObjectProperty<LoadedModel> modelProperty() { return model; }
    public LoadedModel getModel() { return model.get(); }

    /** The text to inspect. */
    public StringProperty textProperty() { return text; }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }
    public State getState() { return state.get(); }

    /** A line for the status bar: progress, the result's size, or the error. */
    public ReadOnlyStringProperty messageProperty() { return message.getReadOnlyProperty(); }

    /** A remark about the last inspection that must stay visible (the text was cut to the limit), or null. */
    public ReadOnlyStringProperty noteProperty() { return note.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<Inspection> inspectionProperty() { return inspection.getReadOnlyProperty(); }
    public Inspection getInspection() { return inspection.get(); }

    /** The logit lens of the inspection (arrives after it: one classifier product per layer and position). */
    public ReadOnlyObjectProperty<LogitLens> lensProperty() { return lens.getReadOnlyProperty(); }
    public LogitLens getLens() { return lens.get(); }

    public IntegerProperty layerProperty() { return layer; }
    public IntegerProperty headProperty() { return head; }
    public ObjectProperty<Combine> combineProperty() { return combine; }
    /** The selected position (-1 = none). */
    public IntegerProperty positionProperty() { return position; }
    public ObjectProperty<ModelPart> partProperty() { return part; }
    /** Candidates recorded per position. */
    public IntegerProperty topKProperty() { return topK; }

    void setState(State s, String msg) {
        state.set(s);
        message.set(msg);
    }

    void setNote(String n) {
        note.set(n);
    }

    void setResult(Inspection in) {
        lens.set(null);
        inspection.set(in);
        if (in != null) {
            if (layer.get() >= in.config().nLayers()) layer.set(0);
            if (head.get() >= in.config().nHeads()) head.set(0);
            if (position.get() >= in.positions()) position.set(-1);
        }
    }

    void setLens(LogitLens l) {
        lens.set(l);
    }
}
