package dev.llamascope.app.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.Region;

/**
 * Files dropped anywhere on a pane: while files are dragged over it and it accepts them, the region carries the
 * {@code drop-target} style class (the highlight in the stylesheet); dropped files are handed on as paths.
 */
public final class FileDrop {
    private static final String STYLE = "drop-target";

    private FileDrop() {}

    /**
     * @param accepting asked on every drag-over: false refuses the drop (a pane that is busy, say)
     * @param dropped   called with the dropped files, never with none
     */
    public static void install(Region target, BooleanSupplier accepting, Consumer<List<Path>> dropped) {
        target.setOnDragOver(e -> {
            if (e.getDragboard().hasFiles() && accepting.getAsBoolean()) {
                e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
                if (!target.getStyleClass().contains(STYLE)) target.getStyleClass().add(STYLE);
            }
            e.consume();
        });
        target.setOnDragExited(e -> target.getStyleClass().remove(STYLE));
        target.setOnDragDropped((DragEvent e) -> {
            target.getStyleClass().remove(STYLE);
            List<File> files = e.getDragboard().hasFiles() ? e.getDragboard().getFiles() : List.of();
            e.setDropCompleted(!files.isEmpty());
            e.consume();
            if (!files.isEmpty()) dropped.accept(files.stream().map(File::toPath).toList());
        });
    }
}
