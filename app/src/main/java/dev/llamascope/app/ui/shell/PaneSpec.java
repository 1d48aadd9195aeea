package dev.llamascope.app.ui.shell;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import dev.llamascope.app.ui.icons.AppIcon;
import java.util.function.Function;

/** A pane of the main window: its id (for navigation and settings), its name and icon in the navigation bar, and how to build it. */
public record PaneSpec(String id, String title, AppIcon icon, Function<AppContext, AppPane> factory) {}
