package dev.llamascope.app.ui.data;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;

/**
 * A path typed or chosen: a text field and a "Choose…" button that opens a file chooser (for a file to read, a
 * file to write, or a folder). {@link #pathProperty()} follows the text; an empty or malformed text is null.
 */
final class FileField extends HBox {
    enum Kind { OPEN, SAVE, FOLDER }

    private final TextField text = new TextField();
    private final Button choose = new Button("Choose…");
    private final ObjectProperty<Path> path = new SimpleObjectProperty<>(this, "path");
    private final Kind kind;
    private final String title;
    private final FileChooser.ExtensionFilter[] filters;
    private boolean updating;

    FileField(String id, Kind kind, String title, String prompt, FileChooser.ExtensionFilter... filters) {
        super(6);
        this.kind = kind;
        this.title = title;
        this.filters = filters;
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("file-field");
        text.setId(id);
        text.setPromptText(prompt);
        choose.setId(id + "Choose");
        choose.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox.setHgrow(text, Priority.ALWAYS);
        text.setMaxWidth(Double.MAX_VALUE);
        getChildren().addAll(text, choose);
        text.textProperty().addListener((o, a, b) -> {
            if (updating) return;
            updating = true;
            try {
                path.set(parse(b));
            } finally {
                updating = false;
            }
        });
        path.addListener((o, a, b) -> {
            if (updating) return;
            updating = true;
            try {
                text.setText(b == null ? "" : b.toString());
                showEnd();
            } finally {
                updating = false;
            }
        });
        choose.setOnAction(e -> chooseFile());
        text.widthProperty().addListener((o, a, b) -> showEnd());
        javafx.scene.control.Tooltip full = new javafx.scene.control.Tooltip();
        full.textProperty().bind(text.textProperty());
        text.textProperty().addListener((o, a, b) -> text.setTooltip(b == null || b.isBlank() ? null : full));
    }

    /**
     * A long path shows its end (the file name), not its first folders; the tooltip has all of it. The skin
     * scrolls to the caret only once it is laid out, so this also runs after the field first gets a width.
     */
    private void showEnd() {
        if (text.isFocused()) return;
        text.end();
        javafx.application.Platform.runLater(text::end);
    }

    private static Path parse(String s) {
        if (s == null || s.isBlank()) return null;
        try {
            String t = s.strip();
            if (t.startsWith("~/")) t = System.getProperty("user.home") + t.substring(1);
            return Path.of(t);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    ObjectProperty<Path> pathProperty() {
        return path;
    }

    Path path() {
        return path.get();
    }

    void setPath(Path p) {
        path.set(p);
    }

    TextField textField() {
        return text;
    }

    /**
     * Follows what an earlier step made: each new value is taken while the field is empty or still shows the
     * earlier step's previous value (what the user typed is kept).
     */
    void follow(javafx.beans.value.ObservableValue<Path> source) {
        source.addListener((o, before, now) -> {
            if (now != null && (text.getText().isBlank() || (before != null && before.equals(path.get())))) path.set(now);
        });
    }

    /** Sets the path unless the user has typed one. */
    void suggest(Path p) {
        if (p != null && text.getText().isBlank()) path.set(p);
    }

    private void chooseFile() {
        var window = getScene() == null ? null : getScene().getWindow();
        Path current = path.get();
        File dir = current == null ? null : (Files.isDirectory(current) ? current : current.toAbsolutePath().getParent()).toFile();
        File f;
        if (kind == Kind.FOLDER) {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle(title);
            if (dir != null && dir.isDirectory()) dc.setInitialDirectory(dir);
            f = dc.showDialog(window);
        } else {
            FileChooser fc = new FileChooser();
            fc.setTitle(title);
            fc.getExtensionFilters().addAll(filters);
            fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("All files", "*"));
            if (dir != null && dir.isDirectory()) fc.setInitialDirectory(dir);
            if (kind == Kind.SAVE && current != null && current.getFileName() != null) fc.setInitialFileName(current.getFileName().toString());
            f = kind == Kind.SAVE ? fc.showSaveDialog(window) : fc.showOpenDialog(window);
        }
        if (f != null) path.set(f.toPath());
    }
}
