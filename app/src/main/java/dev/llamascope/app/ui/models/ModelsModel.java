package dev.llamascope.app.ui.models;

import dev.llamascope.app.ui.concurrent.WorkState;
import dev.llamascope.app.ui.session.ModelSummary;
import dev.llamascope.app.ui.settings.RecentModel;
import java.nio.file.Path;
import java.util.List;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Models pane's state: read-only to the view, changed only by {@link ModelsController}'s commands.
 * FX thread only.
 */
public final class ModelsModel {
    private final ReadOnlyObjectWrapper<WorkState> state = new ReadOnlyObjectWrapper<>(this, "state", WorkState.IDLE);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper progressMessage = new ReadOnlyStringWrapper(this, "progressMessage", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper notice = new ReadOnlyStringWrapper(this, "notice");
    private final ReadOnlyObjectWrapper<ModelSummary> card = new ReadOnlyObjectWrapper<>(this, "card");
    private final ReadOnlyObjectWrapper<Path> tokenizer = new ReadOnlyObjectWrapper<>(this, "tokenizer");
    private final ObservableList<RecentModel> recent = FXCollections.observableArrayList();
    private final ObservableList<RecentModel> recentView = FXCollections.unmodifiableObservableList(recent);

    public ReadOnlyObjectProperty<WorkState> stateProperty() {
        return state.getReadOnlyProperty();
    }

    public WorkState state() {
        return state.get();
    }

    /** Load progress in [0, 1], negative while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty progressMessageProperty() {
        return progressMessage.getReadOnlyProperty();
    }

    /** The last load's failure as one line, or null. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A passing remark (e.g. "Loading cancelled"), or null. */
    public ReadOnlyStringProperty noticeProperty() {
        return notice.getReadOnlyProperty();
    }

    /** The loaded model's card, or null. */
    public ReadOnlyObjectProperty<ModelSummary> cardProperty() {
        return card.getReadOnlyProperty();
    }

    /** The tokenizer file chosen for the next load, or null for the model's own. */
    public ReadOnlyObjectProperty<Path> tokenizerProperty() {
        return tokenizer.getReadOnlyProperty();
    }

    public ObservableList<RecentModel> recent() {
        return recentView;
    }

    void setState(WorkState s) {
        state.set(s);
    }

    void setProgress(double fraction, String message) {
        progress.set(fraction);
        progressMessage.set(message);
    }

    void setError(String message) {
        error.set(message);
    }

    void setNotice(String message) {
        notice.set(message);
    }

    void setCard(ModelSummary summary) {
        card.set(summary);
    }

    void setTokenizer(Path p) {
        tokenizer.set(p);
    }

    void setRecent(List<RecentModel> list) {
        recent.setAll(list);
    }
}
