package dev.llamascope.app.ui.catalog;

import atlantafx.base.theme.Styles;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.session.ModelSession;
import dev.llamascope.engine.catalog.InstallStatus;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The first-run offer, shown while no model is loaded: "No model yet — Download stories15M (61.2 MB)" with one
 * button that downloads the catalog's default model and opens it, and "Open a file…" for a model already on disk.
 * It follows the default model's state: a partial download offers Resume, a running one shows its progress and
 * Cancel, an installed one offers Open. Each pane that shows it gets its own instance.
 */
public final class ModelBanner extends VBox {
    private final ModelCatalog catalog;
    private final ModelSession session;
    private final Label title = new Label();
    private final Label detail = new Label();
    private final Button main = new Button();
    private final Button cancel = new Button("Cancel", AppIcon.CANCEL.node());
    private final Button openFile = new Button("Open a file…", AppIcon.OPEN_FILE.node());
    private final ProgressBar bar = new ProgressBar();
    private final Label progressText = new Label();
    private final Label error = new Label();
    private final HBox progress;
    private CatalogItem item;
    private final ChangeListener<Object> itemChanged = (o, a, b) -> update();

    /** @param openFile what "Open a file…" does (the window's Open model file action) */
    public ModelBanner(ModelCatalog catalog, ModelSession session, Runnable openFile, String idPrefix) {
        this.catalog = catalog;
        this.session = session;
        setId(idPrefix + "Banner");
        getStyleClass().add("model-banner");
        getStylesheets().add(ModelBanner.class.getResource("catalog.css").toExternalForm());
        setSpacing(6);
        title.setId(idPrefix + "BannerTitle");
        title.getStyleClass().add("banner-title");
        title.setGraphic(AppIcon.DOWNLOAD.node(18));
        detail.getStyleClass().add("muted");
        detail.setWrapText(true);
        detail.setMinHeight(Region.USE_PREF_SIZE); // wrap rather than cut, even where the pane is short of room
        setMinHeight(Region.USE_PREF_SIZE);
        main.setId(idPrefix + "BannerMain");
        main.getStyleClass().add(Styles.ACCENT);
        main.setOnAction(e -> act());
        cancel.setId(idPrefix + "BannerCancel");
        cancel.setOnAction(e -> {
            if (item != null) catalog.cancel(item);
        });
        this.openFile.setId(idPrefix + "BannerOpenFile");
        this.openFile.setOnAction(e -> openFile.run());
        for (Button b : new Button[]{main, cancel, this.openFile}) b.setMinWidth(Region.USE_PREF_SIZE);
        HBox buttons = new HBox(8, main, cancel, this.openFile);
        buttons.setAlignment(Pos.CENTER_LEFT);
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.setId(idPrefix + "BannerProgress");
        HBox.setHgrow(bar, Priority.ALWAYS);
        progressText.getStyleClass().add("muted");
        progressText.setId(idPrefix + "BannerProgressText");
        progressText.setMinWidth(Region.USE_PREF_SIZE);
        progress = new HBox(8, bar, progressText);
        progress.setAlignment(Pos.CENTER_LEFT);
        error.setId(idPrefix + "BannerError");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        getChildren().addAll(title, detail, buttons, progress, error);
        managedProperty().bind(visibleProperty());

        catalog.readyProperty().addListener((o, a, b) -> attach());
        session.currentProperty().addListener((o, a, b) -> update());
        attach();
    }

    private void attach() {
        CatalogItem now = catalog.defaultItem();
        if (now == item) {
            update();
            return;
        }
        if (item != null) {
            item.statusProperty().removeListener(itemChanged);
            item.activityProperty().removeListener(itemChanged);
            item.errorProperty().removeListener(itemChanged);
            bar.progressProperty().unbind();
            progressText.textProperty().unbind();
        }
        item = now;
        if (item != null) {
            item.statusProperty().addListener(itemChanged);
            item.activityProperty().addListener(itemChanged);
            item.errorProperty().addListener(itemChanged);
            bar.progressProperty().bind(item.progressProperty());
            progressText.textProperty().bind(item.progressTextProperty());
        }
        update();
    }

    private void act() {
        if (item == null) return;
        if (item.installed()) catalog.open(item);
        else catalog.download(item, true);
    }

    private void update() {
        boolean show = item != null && session.current() == null && catalog.problemProperty().get() == null;
        setVisible(show);
        if (!show) return;
        String what = ModelCatalog.nameAndSize(item.entry());
        InstallStatus s = item.status();
        CatalogItem.Activity a = item.activity();
        boolean transferring = a == CatalogItem.Activity.DOWNLOADING || a == CatalogItem.Activity.CANCELLING;
        if (transferring) {
            title.setText("Downloading " + item.name() + "…");
            detail.setText("It opens as soon as it is in place. Cancel keeps the part downloaded; Download resumes it.");
        } else if (a == CatalogItem.Activity.OPENING) {
            title.setText("Opening " + item.name() + "…");
            detail.setText(item.entry().description() + ".");
        } else if (s.installed()) {
            title.setText("No model loaded — " + item.name() + " is installed");
            detail.setText(item.entry().description() + ".");
        } else if (s.state() == InstallStatus.State.PARTIAL) {
            title.setText("No model yet — " + item.name() + " is partly downloaded");
            detail.setText(CatalogText.status(s) + ". Resume the download, or open a model file you already have.");
        } else {
            title.setText("No model yet");
            detail.setText(item.entry().description() + ". One click downloads it and opens it; or open a model file you already have.");
        }
        main.setText(s.installed() ? "Open " + item.name() : s.state() == InstallStatus.State.PARTIAL ? "Resume download" : "Download " + what);
        main.setGraphic(s.installed() ? AppIcon.OPEN_FILE.node() : AppIcon.DOWNLOAD.node());
        main.setVisible(!transferring);
        main.setManaged(!transferring);
        main.setDisable(a.busy());
        cancel.setVisible(transferring);
        cancel.setManaged(transferring);
        cancel.setDisable(a == CatalogItem.Activity.CANCELLING);
        progress.setVisible(transferring);
        progress.setManaged(transferring);
        String e = item.errorProperty().get();
        error.setText(e == null ? "" : e);
        error.setVisible(e != null);
        error.setManaged(e != null);
    }

    /** For tests: the item the banner offers. */
    CatalogItem item() {
        return item;
    }
}
