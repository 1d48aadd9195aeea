package dev.llamascope.app.ui.inspect;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.concurrent.SerialExecutor;
import dev.llamascope.app.ui.session.ModelHandle;
import javafx.scene.Node;

/**
 * The Inspect pane in the window: an {@link InspectPane} that follows the session's model, runs its work one piece
 * at a time on the app's engine executor, keeps the model open through the session's handle and borrows the app's
 * compute pool (see {@link SessionModelAccess}). Other panes hand it a text through {@code ctx.links().inspect}
 * (Generate's "Inspect" action). A model loaded while an inspection is on screen is inspected again when the pane
 * is next shown.
 */
public final class InspectAppPane implements AppPane {
    public static final String ID = "inspect";

    private final AppContext ctx;
    private final InspectPane pane;
    private final SessionModelAccess access;
    private boolean stale; // the model changed under a shown inspection: run it again when the pane is shown

    public InspectAppPane(AppContext ctx) {
        this.ctx = ctx;
        access = new SessionModelAccess(ctx.session().compute());
        pane = new InspectPane(new SerialExecutor(ctx.engine(), "inspect"), ctx.fxThread()::execute, access);
        access.setThreads(ctx.session().threadsProperty().get());
        ctx.session().threadsProperty().addListener((o, a, b) -> access.setThreads(b.intValue()));
        ctx.session().currentProperty().addListener((o, a, b) -> follow(b));
        follow(ctx.session().current());
        ctx.navigation().currentProperty().addListener((o, a, b) -> {
            if (ID.equals(b)) refreshIfStale();
        });
        ctx.links().setInspector(this::inspect);
    }

    public static InspectAppPane create(AppContext ctx) {
        return new InspectAppPane(ctx);
    }

    private void follow(ModelHandle h) {
        boolean hadResult = pane.state().getInspection() != null;
        access.setHandle(h); // before the pane sees the model: its first work must find the handle
        pane.setModel(h == null ? null : h.loaded());
        if (h == null) {
            pane.state().setState(InspectModel.State.IDLE, "No model loaded: open one in Models (" + AppAction.OPEN_MODEL.key().getDisplayText()
                    + ") or download one there, then press Inspect — or Inspect a story from Generate.");
            return;
        }
        stale = hadResult;
        if (ID.equals(ctx.navigation().current())) refreshIfStale();
    }

    private void refreshIfStale() {
        if (!stale || pane.state().getModel() == null) return;
        stale = false;
        String text = pane.textProperty().get();
        if (text != null && !text.isBlank()) pane.inspectUpToLimit(text);
    }

    /** Shows the pane and inspects a text, cut to the limit with a note when longer. */
    public void inspect(String text) {
        stale = false; // before showing: the pane must not first re-run the old text
        ctx.navigation().show(ID);
        pane.inspectUpToLimit(text);
    }

    /** The pane itself, for tests and the snapshot mode. */
    public InspectPane inspectPane() {
        return pane;
    }

    @Override
    public Node view() {
        return pane;
    }
}
