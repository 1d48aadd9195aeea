package dev.llamascope.app.ui.shell;

import dev.llamascope.app.cli.Args;
import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.Navigation;
import dev.llamascope.app.ui.PaneLinks;
import dev.llamascope.app.ui.catalog.ModelCatalog;
import dev.llamascope.app.ui.actions.ActionMap;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.concurrent.EngineExecutor;
import dev.llamascope.app.ui.concurrent.PooledEngineExecutor;
import dev.llamascope.app.ui.session.ModelSession;
import dev.llamascope.app.ui.settings.AppSettings;
import dev.llamascope.app.ui.settings.SettingsStore;
import dev.llamascope.app.ui.theme.ThemeManager;
import dev.llamascope.app.ui.theme.ThemeMode;
import dev.llamascope.engine.catalog.ModelLibrary;
import dev.llamascope.engine.tensor.ComputePool;
import java.io.IOException;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * The JavaFX application: builds the {@link AppContext} (settings, engine executor, theme, model session,
 * actions, navigation), the main window and its panes; restores the window; runs the scripted part of the launch
 * (--model, --generate, --snapshot); on exit stops the panes' work, shuts the executor down and saves the settings.
 */
public final class LlamascopeApp extends Application {
    private LaunchOptions opts;
    private AppContext ctx;
    private MainWindow window;
    private WindowPlacement placement;

    @Override
    public void init() throws Args.UsageException {
        opts = LaunchOptions.parse(getParameters().getRaw());
    }

    @Override
    public void start(Stage stage) {
        StartupTimer timer = new StartupTimer(Boolean.getBoolean("llamascope.timing"));
        timer.mark("JavaFX started");
        SettingsStore store = new SettingsStore(SettingsStore.defaultConfigDir().resolve("settings.json"), defaultThreads());
        AppSettings settings = store.load();
        if (store.warning() != null) System.err.println("llamascope: " + store.warning());
        ThemeManager theme = new ThemeManager(opts.theme() != null ? opts.theme() : ThemeMode.fromKey(settings.theme()));
        // Three threads: a generation, the Inspect pane's queue and a model load can each have one (downloads run
        // on threads of their own; the compute pool is shared through the session's lane).
        EngineExecutor engine = new PooledEngineExecutor(3);
        ModelSession session = new ModelSession(settings.generation().threads());
        Navigation navigation = new Navigation(opts.pane() != null ? opts.pane() : settings.pane());
        PaneLinks links = new PaneLinks();
        ModelCatalog catalog = new ModelCatalog(() -> ModelLibrary.open(opts.catalog(), opts.models()), engine, Platform::runLater, links, session);
        ctx = new AppContext(settings, store, engine, Platform::runLater, theme, session, new ActionMap(), navigation, links, catalog);
        catalog.load();
        ctx.actions().register(AppAction.TOGGLE_THEME, theme::toggle, Bindings.createBooleanBinding(() -> true));

        timer.mark("theme and context ready");
        window = new MainWindow(ctx, Panes.standard());
        timer.mark("panes built");
        Scene scene = new Scene(window);
        theme.style(scene);
        window.installShortcuts(scene);
        stage.setScene(scene);
        stage.setTitle("Llamascope");
        placement = new WindowPlacement(stage);
        placement.restore(opts.snapshotMode() ? null : settings.window(), opts.size());
        stage.show();
        timer.mark("window shown");
        // The first runnable after show() runs once the window is up and the FX thread free: interactive.
        Platform.runLater(() -> {
            if (opts.snapshotMode() || Boolean.getBoolean("llamascope.timing")) timer.interactive();
            new SnapshotRunner(ctx, opts, window, scene).run();
        });
    }

    /** Compute threads by default: the physical cores, leaving one to the window on small machines. */
    static int defaultThreads() {
        int cores = ComputePool.defaultThreads();
        int logical = Runtime.getRuntime().availableProcessors();
        return Math.max(1, logical <= 4 ? Math.min(cores, logical - 1) : cores);
    }

    /** For tests: the window's content. */
    public MainWindow window() {
        return window;
    }

    public AppContext context() {
        return ctx;
    }

    @Override
    public void stop() {
        if (window != null) window.dispose();
        if (ctx == null) return;
        ctx.catalog().dispose();
        if (!opts.snapshotMode()) {
            ctx.settings().setWindow(placement.current());
            try {
                ctx.store().save(ctx.settings());
            } catch (IOException e) {
                System.err.println("llamascope: cannot save the settings to " + ctx.store().file() + ": " + e.getMessage());
            }
        }
        ctx.session().clear();
        ctx.engine().shutdown();
        ctx.session().compute().close();
    }
}
