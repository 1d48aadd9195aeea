package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.icons.AppIcon;
import dev.llamascope.app.ui.theme.ThemeMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.StatusBar;

/**
 * The main window's content: the navigation bar (one button per {@link PaneSpec}, Ctrl+1…), the current pane,
 * the theme menu and the status bar. Panes are built once, at start, and kept (their state survives switching).
 */
public final class MainWindow extends BorderPane {
    @FXML private VBox navButtons;
    @FXML private Label appTitle;
    @FXML private MenuButton themeMenu;
    @FXML private StackPane content;
    @FXML private StatusBar statusBar;

    private final AppContext ctx;
    private final Map<String, AppPane> panes = new LinkedHashMap<>();
    private final Map<String, ToggleButton> buttons = new LinkedHashMap<>();
    private final ToggleGroup group = new ToggleGroup();
    private final StatusLine status;

    public MainWindow(AppContext ctx, List<PaneSpec> specs) {
        this.ctx = ctx;
        FxmlViews.load(this, "main-window.fxml");
        appTitle.setGraphic(AppIcon.BOOK.node());
        int n = 0;
        for (PaneSpec spec : specs) {
            AppPane pane = spec.factory().apply(ctx);
            panes.put(spec.id(), pane);
            ToggleButton b = new ToggleButton(spec.title(), spec.icon().node());
            b.setId("nav-" + spec.id());
            b.getStyleClass().add("nav-button");
            b.setToggleGroup(group);
            b.setUserData(spec.id());
            b.setMaxWidth(Double.MAX_VALUE);
            b.setTooltip(new Tooltip(spec.title() + "  (" + KeyCombination.valueOf("Shortcut+" + (++n)).getDisplayText() + ")"));
            buttons.put(spec.id(), b);
            navButtons.getChildren().add(b);
        }
        // A selected pane stays selected: clicking it again does not leave the window without a pane.
        group.selectedToggleProperty().addListener((o, old, now) -> {
            if (now == null && old != null) old.setSelected(true);
            else if (now != null) ctx.navigation().show((String) now.getUserData());
        });
        ctx.navigation().currentProperty().addListener((o, a, b) -> showPane(b));
        showPane(panes.containsKey(ctx.navigation().current()) ? ctx.navigation().current() : specs.getFirst().id());
        buildThemeMenu();
        status = new StatusLine(ctx, statusBar);
    }

    /** Adds the window's own shortcuts (panes by number) to its scene. */
    public void installShortcuts(Scene scene) {
        int n = 0;
        for (String id : panes.keySet()) {
            scene.getAccelerators().put(KeyCombination.valueOf("Shortcut+" + (++n)), () -> ctx.navigation().show(id));
        }
        ctx.actions().installAccelerators(scene);
    }

    private void showPane(String id) {
        AppPane pane = panes.get(id);
        if (pane == null) {
            ctx.navigation().show(panes.keySet().iterator().next());
            return;
        }
        content.getChildren().setAll(pane.view());
        ToggleButton b = buttons.get(id);
        if (!b.isSelected()) b.setSelected(true);
        ctx.settings().setPane(id);
    }

    private void buildThemeMenu() {
        themeMenu.setGraphic(AppIcon.THEME.node());
        ToggleGroup themes = new ToggleGroup();
        for (ThemeMode m : ThemeMode.values()) {
            RadioMenuItem item = new RadioMenuItem(m.label());
            item.setUserData(m);
            item.setToggleGroup(themes);
            item.setSelected(ctx.theme().modeProperty().get() == m);
            item.setOnAction(e -> ctx.theme().modeProperty().set(m));
            themeMenu.getItems().add(item);
        }
        ctx.theme().modeProperty().addListener((o, a, b) -> {
            for (Toggle t : themes.getToggles()) t.setSelected(t.getUserData() == b);
            ctx.settings().setTheme(b.key());
        });
        themeMenu.getItems().add(new SeparatorMenuItem());
        MenuItem toggle = new MenuItem(AppAction.TOGGLE_THEME.text());
        toggle.setAccelerator(AppAction.TOGGLE_THEME.key());
        toggle.setOnAction(e -> ctx.actions().execute(AppAction.TOGGLE_THEME));
        themeMenu.getItems().add(toggle);
    }

    /** A pane by id, for the snapshot mode and tests. */
    public <P extends AppPane> P pane(String id, Class<P> type) {
        return type.cast(panes.get(id));
    }

    public Node currentPaneView() {
        return content.getChildren().isEmpty() ? null : content.getChildren().getFirst();
    }

    /** Stops every pane's work (at exit). */
    public void dispose() {
        status.stop();
        panes.values().forEach(AppPane::dispose);
    }
}
