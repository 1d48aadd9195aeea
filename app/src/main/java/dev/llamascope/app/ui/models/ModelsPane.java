package dev.llamascope.app.ui.models;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.catalog.CatalogView;
import dev.llamascope.app.ui.catalog.ModelBanner;
import dev.llamascope.app.ui.concurrent.WorkState;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.Node;

/** The Models feature put together: model, controller, view, and its actions (open file/folder, cancel). */
public final class ModelsPane implements AppPane {
    public static final String ID = "models";

    private final AppContext ctx;
    private final ModelsController controller;
    private final ModelsView view;

    public ModelsPane(AppContext ctx, ModelOpener opener) {
        this.ctx = ctx;
        ModelsModel model = new ModelsModel();
        controller = new ModelsController(ctx, model, opener);
        BooleanBinding idle = Bindings.createBooleanBinding(() -> !model.state().isBusy(), model.stateProperty());
        // Registered before the view binds its buttons to them.
        ctx.actions().register(AppAction.OPEN_MODEL, this::chooseFile, idle);
        ctx.actions().register(AppAction.OPEN_FOLDER, this::chooseFolder, idle);
        ctx.actions().register(AppAction.CANCEL_LOAD, controller::cancel,
                Bindings.createBooleanBinding(() -> model.state() == WorkState.LOADING, model.stateProperty()));
        view = new ModelsView(ctx, controller);
        ctx.links().setModelOpener(controller::open);
        view.setBanner(new ModelBanner(ctx.catalog(), ctx.session(), () -> ctx.actions().execute(AppAction.OPEN_MODEL), "models"));
        view.setCatalog(new CatalogView(ctx.catalog(), ctx.session()));
        // What is on disk may have changed meanwhile (a pull from the command line): look again when shown.
        ctx.navigation().currentProperty().addListener((o, a, b) -> {
            if (ID.equals(b)) ctx.catalog().refresh();
        });
    }

    private void chooseFile() {
        ctx.navigation().show(ID);
        view.chooseModelFile();
    }

    private void chooseFolder() {
        ctx.navigation().show(ID);
        view.chooseModelFolder();
    }

    public static ModelsPane create(AppContext ctx) {
        return new ModelsPane(ctx, new FileModelOpener());
    }

    /** Puts a view of downloadable models (the catalog) into its place on the pane. */
    public void setCatalog(Node catalogView) {
        view.setCatalog(catalogView);
    }

    public ModelsController controller() {
        return controller;
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void dispose() {
        controller.dispose();
    }
}
