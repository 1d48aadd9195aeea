package dev.llamascope.app.ui.actions;

import java.util.EnumMap;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableBooleanValue;
import javafx.scene.Scene;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;

/**
 * The handlers of one window's {@link AppAction}s: panes register what an action does and when it is enabled;
 * buttons are bound to actions (text, icon, tooltip, enablement) and the scene's accelerators run the same handler,
 * only when the action is enabled. FX thread only.
 */
public final class ActionMap {
    private record Handler(Runnable run, ObservableBooleanValue enabled) {}

    private final Map<AppAction, Handler> handlers = new EnumMap<>(AppAction.class);

    public void register(AppAction action, Runnable run, ObservableBooleanValue enabled) {
        handlers.put(action, new Handler(run, enabled));
    }

    /** Runs the action if it has a handler and is enabled; returns whether it ran. */
    public boolean execute(AppAction action) {
        Handler h = handlers.get(action);
        if (h == null || !h.enabled().get()) return false;
        h.run().run();
        return true;
    }

    public boolean isEnabled(AppAction action) {
        Handler h = handlers.get(action);
        return h != null && h.enabled().get();
    }

    /** Makes a button show and run an action (registered now or later). */
    public <B extends ButtonBase> B bind(B button, AppAction action, boolean showText) {
        if (showText) button.setText(action.text());
        else button.setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
        button.setGraphic(action.icon().node());
        Tooltip tip = new Tooltip(action.tooltip());
        tip.setShowDelay(Duration.millis(400));
        button.setTooltip(tip);
        button.setOnAction(e -> execute(action));
        Handler h = handlers.get(action);
        if (h == null) throw new IllegalStateException("no handler registered for " + action);
        button.disableProperty().bind(Bindings.not(h.enabled()));
        return button;
    }

    /** Installs the shortcuts of every registered action on a scene. */
    public void installAccelerators(Scene scene) {
        handlers.forEach((action, h) -> {
            if (action.key() != null) scene.getAccelerators().put(action.key(), () -> execute(action));
        });
    }
}
