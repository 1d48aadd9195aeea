package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.concurrent.WorkState;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The Generate pane's state. The prompt and the knobs are user input (writable, bound to the form); the work
 * state, statistics, error and the story are read-only outside and changed by {@link GenerateController}.
 * FX thread only.
 */
public final class GenerateModel {
    private final StringProperty prompt = new SimpleStringProperty(this, "prompt", "");
    private final SamplingKnobs knobs;
    private final StoryDocument story = new StoryDocument();
    private final ReadOnlyObjectWrapper<WorkState> state = new ReadOnlyObjectWrapper<>(this, "state", WorkState.IDLE);
    private final ReadOnlyObjectWrapper<GenerationStats> stats = new ReadOnlyObjectWrapper<>(this, "stats", GenerationStats.EMPTY);
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice");

    public GenerateModel(SamplingKnobs knobs) {
        this.knobs = knobs;
    }

    public StringProperty promptProperty() {
        return prompt;
    }

    public SamplingKnobs knobs() {
        return knobs;
    }

    public StoryDocument story() {
        return story;
    }

    public ReadOnlyObjectProperty<WorkState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public WorkState state() {
        return state.get();
    }

    public ReadOnlyObjectProperty<GenerationStats> statsProperty() {
        return stats.getReadOnlyProperty();
    }

    public GenerationStats stats() {
        return stats.get();
    }

    /** The last generation's failure as one line, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A passing remark ("Copied", "Saved to …"), or null. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    void setNotice(String n) {
        notice.set(n);
    }

    void setState(WorkState s) {
        state.set(s);
    }

    void setStats(GenerationStats s) {
        stats.set(s);
    }

    void setError(String e) {
        error.set(e);
    }
}
