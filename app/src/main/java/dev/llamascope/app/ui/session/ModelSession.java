package dev.llamascope.app.ui.session;

import dev.llamascope.app.ui.concurrent.ComputeLane;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * The model the app works with now, shared by all panes (the Models pane sets it; Generate, Inspect and Train
 * use it), the number of compute threads engine work should use, and the compute pool it borrows. Replacing the
 * model retires the old one, which closes when its last user is done. FX thread only (except {@link #compute()}).
 */
public final class ModelSession {
    private final ReadOnlyObjectWrapper<ModelHandle> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ComputeLane compute = new ComputeLane();
    private final IntegerProperty threads = new SimpleIntegerProperty(this, "threads", 1);

    public ModelSession(int threads) {
        this.threads.set(threads);
    }

    /** The loaded model, or null. */
    public ReadOnlyObjectProperty<ModelHandle> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public ModelHandle current() {
        return current.get();
    }

    /** Makes a newly loaded model the current one; the previous one is retired. */
    public void install(ModelHandle handle) {
        ModelHandle old = current.get();
        current.set(handle);
        if (old != null && old != handle) old.retire();
    }

    /** Unloads the model (at exit). */
    public void clear() {
        ModelHandle old = current.get();
        current.set(null);
        if (old != null) old.retire();
    }

    /**
     * The app's compute pool, lent to one piece of engine work at a time (generation, warm-up, inspection), so they
     * never fight over the cores. Thread-safe; closed at exit.
     */
    public ComputeLane compute() {
        return compute;
    }

    /** Compute threads for inference (a knob on the Generate pane, shown in the status bar). */
    public IntegerProperty threadsProperty() {
        return threads;
    }
}
