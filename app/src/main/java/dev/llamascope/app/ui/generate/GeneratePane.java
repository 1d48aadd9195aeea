package dev.llamascope.app.ui.generate;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import dev.llamascope.app.ui.actions.AppAction;
import dev.llamascope.app.ui.concurrent.WorkState;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.scene.Node;

/** The Generate feature put together: model, controller, view, and its actions. */
public final class GeneratePane implements AppPane {
    public static final String ID = "generate";

    private final AppContext ctx;
    private final GenerateController controller;
    private final GenerateView view;

    public GeneratePane(AppContext ctx) {
        this.ctx = ctx;
        GenerateModel model = new GenerateModel(new SamplingKnobs(ctx.settings().generation()));
        model.promptProperty().set(ctx.settings().generation().prompt());
        controller = new GenerateController(ctx, model);
        BooleanBinding canGenerate = Bindings.createBooleanBinding(
                () -> ctx.session().current() != null && !model.state().isBusy(), ctx.session().currentProperty(), model.stateProperty());
        BooleanBinding generating = Bindings.createBooleanBinding(() -> model.state() == WorkState.GENERATING, model.stateProperty());
        BooleanBinding hasStory = Bindings.createBooleanBinding(() -> model.story().tokenCount() > 0, model.story().tokenCountProperty());
        ctx.actions().register(AppAction.GENERATE, this::generate, canGenerate);
        ctx.actions().register(AppAction.STOP, controller::stop, generating);
        ctx.actions().register(AppAction.COPY_STORY, controller::copy, hasStory);
        ctx.actions().register(AppAction.SAVE_STORY, this::save, hasStory);
        ctx.actions().register(AppAction.NEW_SEED, controller::newSeed, Bindings.createBooleanBinding(() -> true));
        // Inspect the prompt and story (or the prompt alone before a story exists); not while one is being written.
        ctx.actions().register(AppAction.INSPECT_STORY, controller::inspect, Bindings.createBooleanBinding(
                () -> ctx.session().current() != null && !model.state().isBusy()
                        && (model.story().tokenCount() > 0 || !model.promptProperty().get().isBlank()),
                ctx.session().currentProperty(), model.stateProperty(), model.story().tokenCountProperty(), model.promptProperty()));
        view = new GenerateView(ctx, controller);
    }

    public static GeneratePane create(AppContext ctx) {
        return new GeneratePane(ctx);
    }

    private void generate() {
        ctx.navigation().show(ID);
        controller.generate();
    }

    private void save() {
        ctx.navigation().show(ID);
        view.chooseSaveFile();
    }

    public GenerateController controller() {
        return controller;
    }

    public GenerateView generateView() {
        return view;
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
