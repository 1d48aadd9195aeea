package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.AppPane;
import java.util.function.Function;
import javafx.scene.Node;

/**
 * The Data feature put together: the five steps of the TinyStories recipe (prompts, stories, diversity, tokenizer,
 * dataset) as tabs sharing one {@link DataRecipe}, so what a step makes is where the next step starts.
 */
public final class DataPane implements AppPane {
    public static final String ID = "data";

    private final DataRecipe recipe = new DataRecipe();
    private final PromptsTab prompts;
    private final StoriesTab stories;
    private final DiversityTab diversity;
    private final TokenizerTab tokenizer;
    private final DatasetTab dataset;
    private final DataPaneView view;

    /** @param env looks up environment variables (the API key's), {@code System::getenv} in the app */
    public DataPane(AppContext ctx, Function<String, String> env) {
        prompts = new PromptsTab(ctx, recipe);
        stories = new StoriesTab(ctx, recipe, env);
        diversity = new DiversityTab(ctx, recipe);
        tokenizer = new TokenizerTab(ctx, recipe);
        dataset = new DatasetTab(ctx, recipe);
        view = new DataPaneView(prompts, stories, diversity, tokenizer, dataset);
    }

    public static DataPane create(AppContext ctx) {
        return new DataPane(ctx, System::getenv);
    }

    /** Shows a step: "prompts", "stories", "diversity", "tokenizer" or "dataset". */
    public void showStep(String step) {
        view.show(step);
    }

    public String shownStep() {
        return view.shown();
    }

    /** The script for the snapshot mode ({@code --pane data}). */
    public DataScript script() {
        return new DataScript(this);
    }

    PromptsTab prompts() {
        return prompts;
    }

    StoriesTab stories() {
        return stories;
    }

    DiversityTab diversity() {
        return diversity;
    }

    TokenizerTab tokenizer() {
        return tokenizer;
    }

    DatasetTab dataset() {
        return dataset;
    }

    DataRecipe recipe() {
        return recipe;
    }

    @Override
    public Node view() {
        return view;
    }

    @Override
    public void dispose() {
        stories.dispose();
        for (DataTask t : java.util.List.of(prompts.task(), diversity.task(), tokenizer.task(), dataset.task())) t.cancel();
    }
}
