package dev.llamascope.app.ui.data;

import javafx.beans.binding.Bindings;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tooltip;

/** Small pieces the Data tabs share: chips, spinners that keep what was typed, the progress/status/error trio. */
final class DataViews {
    private DataViews() {}

    /** A rounded label: "noun · ball" (or just the value) in a colour class of data.css. */
    static Label chip(String key, String value, String styleClass) {
        Label l = new Label(key == null ? value : key + " · " + value);
        l.getStyleClass().addAll("chip", styleClass);
        return l;
    }

    /**
     * A label inside a list cell that wraps to the list's width (less the scroll bar and padding) and keeps all its
     * lines: a wrapped label in a cell is otherwise cut to its first line. The cell itself takes setPrefWidth(0), so
     * the list's width decides instead of the longest text.
     */
    static void wrapInList(Label l, ListView<?> list) {
        l.setWrapText(true);
        l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        l.maxWidthProperty().bind(list.widthProperty().subtract(40));
    }

    /**
     * A typed spinner value counts when the field loses focus too, not only on Enter (JavaFX's default drops it),
     * and a value it cannot read goes back to the last good one.
     */
    @SafeVarargs
    static <T> void commitOnFocusLoss(Spinner<? extends T>... spinners) {
        for (Spinner<? extends T> s : spinners) {
            s.focusedProperty().addListener((o, was, is) -> {
                if (!is) commit(s);
            });
        }
    }

    static <T> void commit(Spinner<T> s) {
        if (!s.isEditable() || s.getValueFactory() == null) return;
        String text = s.getEditor().getText();
        try {
            T v = s.getValueFactory().getConverter().fromString(text);
            if (v != null) s.getValueFactory().setValue(v);
        } catch (RuntimeException e) {
            // not a number: show the last good value again
        }
        s.getEditor().setText(s.getValueFactory().getConverter().toString(s.getValue()));
    }

    /**
     * A two-column form: labels in a column at least {@code labelWidth} wide (wider when one needs it), the fields
     * taking the rest (several grids given the same width line up).
     */
    static void formColumns(double labelWidth, javafx.scene.layout.GridPane... grids) {
        for (javafx.scene.layout.GridPane g : grids) {
            javafx.scene.layout.ColumnConstraints labels = new javafx.scene.layout.ColumnConstraints();
            labels.setMinWidth(labelWidth); // and wider when a label needs it: labels are never cut
            javafx.scene.layout.ColumnConstraints fields = new javafx.scene.layout.ColumnConstraints();
            fields.setHgrow(javafx.scene.layout.Priority.ALWAYS);
            fields.setFillWidth(true);
            g.getColumnConstraints().setAll(labels, fields);
            for (javafx.scene.Node n : g.getChildren()) {
                Integer col = javafx.scene.layout.GridPane.getColumnIndex(n);
                if ((col == null || col == 0) && n instanceof Label l) l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
            }
        }
    }

    /** The bar shows while work runs (indeterminate when the work cannot say); the status and error lines follow the task. */
    static void bindProgress(DataTask task, ProgressBar bar, Label status, Label error) {
        bar.progressProperty().bind(task.progressProperty());
        bar.visibleProperty().bind(task.runningProperty());
        bar.managedProperty().bind(bar.visibleProperty());
        status.textProperty().bind(task.statusProperty());
        error.textProperty().bind(task.errorProperty());
        error.visibleProperty().bind(task.errorProperty().isNotNull());
        error.managedProperty().bind(error.visibleProperty());
        error.tooltipProperty().bind(Bindings.createObjectBinding(
                () -> task.errorProperty().get() == null ? null : new Tooltip(task.errorProperty().get()), task.errorProperty()));
    }
}
