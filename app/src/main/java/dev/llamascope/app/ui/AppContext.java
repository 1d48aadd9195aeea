package dev.llamascope.app.ui;

import dev.llamascope.app.ui.actions.ActionMap;
import dev.llamascope.app.ui.catalog.ModelCatalog;
import dev.llamascope.app.ui.concurrent.EngineExecutor;
import dev.llamascope.app.ui.session.ModelSession;
import dev.llamascope.app.ui.settings.AppSettings;
import dev.llamascope.app.ui.settings.SettingsStore;
import dev.llamascope.app.ui.theme.ThemeManager;
import java.util.concurrent.Executor;

/**
 * What every pane may use, built once in {@code Application.start()} and passed down by constructor (no
 * singletons, no static state).
 *
 * @param settings   remembered between runs; panes read their part when built and write it back on change
 * @param store      where the settings are saved
 * @param engine     runs engine work off the FX thread
 * @param fxThread   runs a task on the FX thread ({@code Platform::runLater})
 * @param theme      light/dark
 * @param session    the loaded model and the thread count
 * @param actions    the window's commands and shortcuts
 * @param navigation which pane is showing
 * @param links      what panes ask of each other (open this model, inspect this text)
 * @param catalog    the downloadable models and their downloads (the Models pane's list, the first-run banner)
 */
public record AppContext(AppSettings settings, SettingsStore store, EngineExecutor engine, Executor fxThread,
                         ThemeManager theme, ModelSession session, ActionMap actions, Navigation navigation,
                         PaneLinks links, ModelCatalog catalog) {
}
