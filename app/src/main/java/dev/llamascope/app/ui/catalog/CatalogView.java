package dev.llamascope.app.ui.catalog;

import atlantafx.base.theme.Styles;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.session.ModelSession;
import dev.llamascope.engine.catalog.InstallStatus;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The catalog on the Models pane: one row per model with its name, description, size and shape, whether it is
 * installed, partly downloaded or not installed, and its buttons — Download (Resume for a partial file), Cancel
 * while downloading with a progress bar, speed and time left, and Open once installed. A failure is one line under
 * its row.
 */
public final class CatalogView extends VBox {
    private final ModelCatalog catalog;
    private final ModelSession session;
    private final VBox rows = new VBox(10);

    public CatalogView(ModelCatalog catalog, ModelSession session) {
        this.catalog = catalog;
        this.session = session;
        setId("catalog");
        setSpacing(8);
        getStyleClass().add("catalog-view");
        getStylesheets().add(CatalogView.class.getResource("catalog.css").toExternalForm());
        Label title = new Label("Download a model");
        title.getStyleClass().add("section-title");
        Label where = new Label();
        where.setId("catalogFolder");
        where.getStyleClass().add("muted");
        where.setWrapText(true);
        where.textProperty().bind(Bindings.createStringBinding(() -> {
            if (catalog.problemProperty().get() != null) return catalog.problemProperty().get();
            if (!catalog.readyProperty().get()) return "Reading the catalog…";
            return "Into " + catalog.folderProperty().get() + " (set LLAMASCOPE_MODELS to use another folder)";
        }, catalog.problemProperty(), catalog.readyProperty(), catalog.folderProperty()));
        getChildren().addAll(title, where, rows);
        catalog.items().addListener((ListChangeListener<CatalogItem>) c -> rebuild());
        rebuild();
    }

    private void rebuild() {
        rows.getChildren().setAll(catalog.items().stream().map(Row::new).toList());
    }

    /** One model of the catalog. */
    private final class Row extends VBox {
        private final CatalogItem item;
        private final Label status = new Label();
        private final Button download = new Button();
        private final Button cancel = new Button("Cancel", AppIcon.CANCEL.node());
        private final Button open = new Button("Open", AppIcon.OPEN_FILE.node());

        Row(CatalogItem item) {
            this.item = item;
            String n = item.name();
            setId("catalog-" + n);
            getStyleClass().add("catalog-row");
            setSpacing(3);

            Label name = new Label(n);
            name.getStyleClass().add("catalog-name");
            name.setMinWidth(Region.USE_PREF_SIZE);
            status.setMinWidth(Region.USE_PREF_SIZE);
            status.setId("status-" + n);
            status.getStyleClass().add("catalog-status");
            Region gap = new Region();
            HBox.setHgrow(gap, Priority.ALWAYS);
            download.setId("download-" + n);
            download.setGraphic(AppIcon.DOWNLOAD.node());
            download.setOnAction(e -> catalog.download(item, false));
            cancel.setId("cancel-" + n);
            cancel.setOnAction(e -> catalog.cancel(item));
            cancel.setTooltip(new Tooltip("Stop the download; the part downloaded is kept and Download resumes it"));
            open.setId("open-" + n);
            open.setOnAction(e -> catalog.open(item));
            for (Button b : new Button[]{download, cancel, open}) {
                b.getStyleClass().add(Styles.SMALL);
                b.setMinWidth(Region.USE_PREF_SIZE);
            }
            HBox top = new HBox(8, name, status, gap, download, cancel, open);
            top.setAlignment(Pos.CENTER_LEFT);

            Label description = new Label(item.entry().description());
            description.setWrapText(true);
            description.getStyleClass().add("catalog-description");
            Label facts = new Label(CatalogText.facts(item.entry()));
            facts.setId("facts-" + n);
            facts.setWrapText(true);
            facts.getStyleClass().addAll("muted", "catalog-facts");

            ProgressBar bar = new ProgressBar();
            bar.setId("progress-" + n);
            bar.setMaxWidth(Double.MAX_VALUE);
            bar.progressProperty().bind(item.progressProperty());
            HBox.setHgrow(bar, Priority.ALWAYS);
            Label progressText = new Label();
            progressText.setId("progressText-" + n);
            progressText.getStyleClass().add("muted");
            progressText.textProperty().bind(item.progressTextProperty());
            progressText.setMinWidth(Region.USE_PREF_SIZE);
            HBox progress = new HBox(8, bar, progressText);
            progress.setAlignment(Pos.CENTER_LEFT);
            progress.visibleProperty().bind(Bindings.createBooleanBinding(() -> item.activity() == CatalogItem.Activity.DOWNLOADING
                    || item.activity() == CatalogItem.Activity.CANCELLING, item.activityProperty()));
            progress.managedProperty().bind(progress.visibleProperty());

            Label error = message(item.errorProperty(), "error-" + n, "error-text");
            Label note = message(item.noteProperty(), "note-" + n, "muted");
            getChildren().addAll(top, description, facts, progress, error, note);

            item.statusProperty().addListener((o, a, b) -> update());
            item.activityProperty().addListener((o, a, b) -> update());
            session.currentProperty().addListener((o, a, b) -> update());
            update();
        }

        private Label message(javafx.beans.value.ObservableStringValue text, String id, String style) {
            Label l = new Label();
            l.setId(id);
            l.getStyleClass().add(style);
            l.setWrapText(true);
            l.textProperty().bind(text);
            l.visibleProperty().bind(Bindings.isNotNull(text));
            l.managedProperty().bind(l.visibleProperty());
            return l;
        }

        private void update() {
            InstallStatus s = item.status();
            CatalogItem.Activity a = item.activity();
            boolean transferring = a == CatalogItem.Activity.DOWNLOADING || a == CatalogItem.Activity.CANCELLING;
            boolean loaded = catalog.isLoaded(item);
            status.setText(transferring ? "Downloading" : a == CatalogItem.Activity.OPENING ? "Opening…"
                    : loaded ? "Installed · loaded" : CatalogText.badge(s));
            status.setTooltip(new Tooltip(CatalogText.status(s) + (s.state() == InstallStatus.State.NOT_INSTALLED ? "" : " in " + s.dir())));
            status.getStyleClass().removeAll("installed", "partial", "not-installed");
            status.getStyleClass().add(switch (s.state()) {
                case INSTALLED -> "installed";
                case PARTIAL -> "partial";
                case NOT_INSTALLED -> "not-installed";
            });
            show(download, !s.installed() && !transferring);
            download.setText(s.state() == InstallStatus.State.PARTIAL ? "Resume download" : "Download");
            download.setDisable(a.busy());
            show(cancel, transferring);
            cancel.setDisable(a == CatalogItem.Activity.CANCELLING);
            show(open, s.installed());
            open.setDisable(a.busy() || loaded);
        }

        private static void show(Button b, boolean visible) {
            b.setVisible(visible);
            b.setManaged(visible);
        }
    }
}
