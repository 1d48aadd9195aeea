package dev.llamascope.app.ui.models;

import dev.llamascope.app.ui.FileDrop;
import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.session.ModelSummary;
import dev.llamascope.app.ui.settings.RecentModel;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressBar;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The Models pane's view: open buttons and drop target, tokenizer choice, load progress with cancel, the last
 * error, recent models, the catalog slot, and the loaded model's card. Layout in models.fxml.
 */
public final class ModelsView extends BorderPane {
    @FXML private Button openFileButton, openFolderButton, chooseTokenizerButton, clearTokenizerButton, cancelButton, toGenerateButton;
    @FXML private Label tokenizerLabel, progressLabel, cardTitle, noModelLabel;
    @FXML private VBox progressBox, messageBox, catalogSlot, bannerSlot;
    @FXML private ProgressBar progressBar;
    @FXML private ListView<RecentModel> recentList;
    @FXML private GridPane cardGrid;

    private final AppContext ctx;
    private final ModelsController controller;
    private final ModelsModel model;

    public ModelsView(AppContext ctx, ModelsController controller) {
        this.ctx = ctx;
        this.controller = controller;
        this.model = controller.model();
        FxmlViews.load(this, "models.fxml");
        ctx.actions().bind(openFileButton, AppAction.OPEN_MODEL, true);
        ctx.actions().bind(openFolderButton, AppAction.OPEN_FOLDER, true);
        ctx.actions().bind(cancelButton, AppAction.CANCEL_LOAD, true);
        chooseTokenizerButton.setGraphic(AppIcon.TOKENIZER.node());
        chooseTokenizerButton.setOnAction(e -> chooseTokenizer());
        chooseTokenizerButton.disableProperty().bind(Bindings.createBooleanBinding(() -> model.state().isBusy(), model.stateProperty()));
        clearTokenizerButton.setOnAction(e -> controller.chooseTokenizer(null));
        clearTokenizerButton.disableProperty().bind(model.tokenizerProperty().isNull());
        tokenizerLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            Path t = model.tokenizerProperty().get();
            return t == null ? "The model's own, or tokenizer.bin beside it" : t.toString();
        }, model.tokenizerProperty()));

        progressBox.visibleProperty().bind(Bindings.createBooleanBinding(() -> model.state().isBusy(), model.stateProperty()));
        progressBox.managedProperty().bind(progressBox.visibleProperty());
        progressBar.progressProperty().bind(model.progressProperty());
        progressLabel.textProperty().bind(model.progressMessageProperty());
        model.errorProperty().addListener((o, a, b) -> showMessages());
        model.noticeProperty().addListener((o, a, b) -> showMessages());

        recentList.setItems(model.recent());
        recentList.setCellFactory(list -> new RecentCell());
        recentList.setPlaceholder(new Label("Models you open appear here."));
        // Empty, the list is one line tall: on a first run the room goes to the catalog.
        recentList.prefHeightProperty().bind(Bindings.createDoubleBinding(() -> model.recent().isEmpty() ? 56.0 : 200.0, model.recent()));
        recentList.setOnKeyPressed(e -> {
            if (e.getCode() == javafx.scene.input.KeyCode.ENTER && recentList.getSelectionModel().getSelectedItem() != null)
                controller.openRecent(recentList.getSelectionModel().getSelectedItem());
        });

        javafx.scene.layout.ColumnConstraints keys = new javafx.scene.layout.ColumnConstraints();
        keys.setMinWidth(Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        cardGrid.getColumnConstraints().setAll(keys, values);
        model.cardProperty().addListener((o, a, b) -> showCard(b));
        showCard(model.cardProperty().get());
        toGenerateButton.setGraphic(AppIcon.GENERATE.node());
        toGenerateButton.setOnAction(e -> ctx.navigation().show("generate"));

        FileDrop.install(this, () -> !model.state().isBusy(), this::dropped);
    }

    /** Puts the first-run offer (download the default model, or open a file) at the top of the pane. */
    public void setBanner(Node banner) {
        bannerSlot.getChildren().setAll(banner);
        bannerSlot.visibleProperty().bind(banner.visibleProperty());
        bannerSlot.managedProperty().bind(banner.visibleProperty());
    }

    /** Puts the catalog's view (from the model downloads feature) into its place on this pane. */
    public void setCatalog(Node catalogView) {
        catalogSlot.getChildren().setAll(catalogView);
    }

    Window window() {
        return getScene() == null ? null : getScene().getWindow();
    }

    /** The file chooser for a checkpoint; opens what the user picks. */
    void chooseModelFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open a model file");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Model files", "*.bin", "*.gguf", "*.safetensors"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File dir = lastFolder();
        if (dir != null) fc.setInitialDirectory(dir);
        File f = fc.showOpenDialog(window());
        if (f != null) controller.open(f.toPath());
    }

    void chooseModelFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open a model folder");
        File dir = lastFolder();
        if (dir != null) dc.setInitialDirectory(dir);
        File f = dc.showDialog(window());
        if (f != null) controller.open(f.toPath());
    }

    private void chooseTokenizer() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Choose a tokenizer");
        fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Tokenizers", "*.bin", "*.model", "*.json"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File dir = lastFolder();
        if (dir != null) fc.setInitialDirectory(dir);
        File f = fc.showOpenDialog(window());
        if (f != null) controller.chooseTokenizer(f.toPath());
    }

    private File lastFolder() {
        List<RecentModel> recent = model.recent();
        if (recent.isEmpty()) return null;
        Path p = recent.getFirst().model().getParent();
        return p != null && Files.isDirectory(p) ? p.toFile() : null;
    }

    private void showMessages() {
        messageBox.getChildren().clear();
        String error = model.errorProperty().get();
        if (error != null) {
            Message m = new Message("Could not open the model", error, AppIcon.ERROR.node());
            m.getStyleClass().add(Styles.DANGER);
            m.setId("modelError");
            m.setOnClose(e -> controller.dismissMessages());
            messageBox.getChildren().add(m);
        }
        String notice = model.noticeProperty().get();
        if (notice != null) {
            Label l = new Label(notice);
            l.setId("modelNotice");
            l.getStyleClass().add("muted");
            messageBox.getChildren().add(l);
        }
    }

    private void showCard(ModelSummary s) {
        cardGrid.getChildren().clear();
        noModelLabel.setVisible(s == null);
        noModelLabel.setText("No model loaded yet. Open a model file (stories260K.bin with its tok512.bin tokenizer, say), "
                + "or download one from the catalog.");
        noModelLabel.setManaged(s == null);
        toGenerateButton.setVisible(s != null);
        toGenerateButton.setManaged(s != null);
        cardTitle.setText(s == null ? "" : s.name());
        cardTitle.setVisible(s != null);
        cardTitle.setManaged(s != null);
        if (s == null) return;
        int row = 0;
        row = cardRow(row, "format", "Format", s.format() + " · " + s.weightTypes());
        row = cardRow(row, "shape", "Shape", s.shape());
        row = cardRow(row, "parameters", "Parameters", ModelSummary.count(s.parameters()) + " (" + String.format("%,d", s.parameters()) + ")");
        row = cardRow(row, "memory", "Memory", ModelSummary.bytes(s.weightBytes()) + " weights + " + ModelSummary.bytes(s.kvCacheBytes()) + " KV cache");
        row = cardRow(row, "tokenizer", "Tokenizer", s.tokenizer() + (s.byteFallback() ? " (byte fallback)" : ""));
        row = cardRow(row, "vocab", "Vocabulary", String.format("%,d tokens", s.vocabSize()));
        row = cardRow(row, "context", "Context", String.format("%,d tokens", s.contextLength()));
        row = cardRow(row, "file", "File", s.path() + " (" + ModelSummary.bytes(s.fileBytes()) + ")");
    }

    private int cardRow(int row, String id, String key, String value) {
        Label k = new Label(key);
        k.getStyleClass().add("card-key");
        Label v = new Label(value);
        v.getStyleClass().add("card-value");
        v.setId("card-" + id);
        v.setWrapText(true);
        cardGrid.addRow(row, k, v);
        GridPane.setHgrow(v, Priority.ALWAYS);
        return row + 1;
    }

    private void dropped(List<Path> files) {
        DroppedFiles d = DroppedFiles.of(files);
        if (d.tokenizer() != null) controller.chooseTokenizer(d.tokenizer());
        controller.open(d.model());
    }

    /** What a drop means: one file or folder is the model; with two files, the larger is the model, the other its tokenizer. */
    record DroppedFiles(Path model, Path tokenizer) {
        static DroppedFiles of(List<Path> paths) {
            if (paths.size() == 2 && paths.stream().allMatch(Files::isRegularFile)) {
                List<Path> bySize = paths.stream().sorted(Comparator.comparingLong(DroppedFiles::size).reversed()).toList();
                return new DroppedFiles(bySize.get(0), bySize.get(1));
            }
            return new DroppedFiles(paths.getFirst(), null);
        }

        private static long size(Path p) {
            try {
                return Files.size(p);
            } catch (java.io.IOException e) {
                return 0;
            }
        }
    }

    private final class RecentCell extends ListCell<RecentModel> {
        private final Label name = new Label();
        private final Label path = new Label();
        private final Button open = new Button("Open");
        private final HBox box;

        RecentCell() {
            name.getStyleClass().add("recent-name");
            path.getStyleClass().add("recent-path");
            path.setMaxWidth(Double.MAX_VALUE);
            VBox text = new VBox(2, name, path);
            HBox.setHgrow(text, Priority.ALWAYS);
            text.setMinWidth(0);
            Region gap = new Region();
            open.getStyleClass().addAll(Styles.SMALL);
            open.setMinWidth(Region.USE_PREF_SIZE);
            open.disableProperty().bind(Bindings.createBooleanBinding(() -> model.state().isBusy(), model.stateProperty()));
            open.setOnAction(e -> {
                if (getItem() != null) controller.openRecent(getItem());
            });
            box = new HBox(8, text, gap, open);
            box.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            MenuItem forget = new MenuItem("Remove from the list");
            forget.setOnAction(e -> {
                if (getItem() != null) controller.forgetRecent(getItem());
            });
            setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && getItem() != null && !model.state().isBusy())
                    controller.openRecent(getItem());
            });
            setContextMenu(new ContextMenu(forget));
            setPrefWidth(0); // let the list's width decide, so long paths ellipsize instead of scrolling sideways
        }

        @Override
        protected void updateItem(RecentModel item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            name.setText(item.displayName());
            path.setText(item.model() + (item.tokenizer() != null ? "  ·  tokenizer " + item.tokenizer().getFileName() : ""));
            setGraphic(box);
        }
    }
}
