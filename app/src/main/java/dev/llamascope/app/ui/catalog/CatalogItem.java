package dev.llamascope.app.ui.catalog;

import dev.llamascope.engine.catalog.CatalogEntry;
import dev.llamascope.engine.catalog.Download;
import dev.llamascope.engine.catalog.InstallStatus;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * One model of the catalog as the window shows it: what is on disk, what is happening to it (downloading,
 * opening), the download's progress line, and the last error or remark. Read-only outside; {@link ModelCatalog}
 * changes it. FX thread only.
 */
public final class CatalogItem {
    /** What the item is doing now. */
    public enum Activity {
        IDLE, DOWNLOADING, CANCELLING, OPENING;

        public boolean busy() {
            return this != IDLE;
        }
    }

    private final CatalogEntry entry;
    private final ReadOnlyObjectWrapper<InstallStatus> status = new ReadOnlyObjectWrapper<>(this, "status");
    private final ReadOnlyObjectWrapper<Activity> activity = new ReadOnlyObjectWrapper<>(this, "activity", Activity.IDLE);
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper progressText = new ReadOnlyStringWrapper(this, "progressText", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error");
    private final ReadOnlyStringWrapper note = new ReadOnlyStringWrapper(this, "note");
    Download download; // the running download, or null
    boolean openWhenDone;

    CatalogItem(CatalogEntry entry, InstallStatus status) {
        this.entry = entry;
        this.status.set(status);
    }

    public CatalogEntry entry() {
        return entry;
    }

    public String name() {
        return entry.name();
    }

    public ReadOnlyObjectProperty<InstallStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public InstallStatus status() {
        return status.get();
    }

    public boolean installed() {
        return status.get().installed();
    }

    public ReadOnlyObjectProperty<Activity> activityProperty() {
        return activity.getReadOnlyProperty();
    }

    public Activity activity() {
        return activity.get();
    }

    /** Download progress in [0, 1]; negative while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** "12.3 MB of 61.2 MB · 4.1 MB/s · 12 s left", "Connecting…", "Checking the sha256…". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText.getReadOnlyProperty();
    }

    /** Why the last download or open failed, one line; null when it did not. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** A passing remark (cancelled and kept, resumed, an unconfirmed checksum); null when none. */
    public ReadOnlyStringProperty noteProperty() {
        return note.getReadOnlyProperty();
    }

    void setStatus(InstallStatus s) {
        status.set(s);
    }

    void setActivity(Activity a) {
        activity.set(a);
    }

    void setProgress(double fraction, String text) {
        progress.set(fraction);
        progressText.set(text);
    }

    void setError(String e) {
        error.set(e);
    }

    void setNote(String n) {
        note.set(n);
    }
}
