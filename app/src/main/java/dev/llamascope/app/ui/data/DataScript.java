package dev.llamascope.app.ui.data;

import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The Data pane's part of a scripted launch ({@code llamascope gui --pane data --data-tab STEP ...}): fills a step's
 * form, runs it, and says when it is done, so the snapshot shows real results. FX thread.
 */
public final class DataScript {

    /**
     * What the command line asked for.
     *
     * @param step      prompts, stories, diversity, tokenizer or dataset
     * @param file      the step's input: a prompt file (stories), a story file (diversity), a text (tokenizer), a
     *                  dataset (dataset); unused for prompts
     * @param output    where the step writes: the prompt file (prompts, optional), the stories file, the tokenizer
     *                  folder, the folder a dataset is pretokenized into (dataset, optional); unused for diversity
     * @param endpoint  stories: the OpenAI-compatible server; null to write with the loaded model
     * @param model     stories: the server's model name
     * @param language  prompts and diversity: en or zh
     * @param count     prompts: how many
     * @param vocabSize tokenizer: the vocabulary size
     * @param tokenizer dataset: the tokenizer to count with (null: the loaded model's)
     */
    public record Options(String step, Path file, Path output, String endpoint, String model, String language, Integer count,
                          Integer vocabSize, Path tokenizer) {
        public Options {
            if (step == null || !DataPaneView.STEPS.contains(step))
                throw new IllegalArgumentException("--data-tab must be one of " + String.join(", ", DataPaneView.STEPS));
            if (language != null && !language.equals("en") && !language.equals("zh"))
                throw new IllegalArgumentException("--data-lang must be en or zh");
            if (!step.equals("prompts") && file == null) throw new IllegalArgumentException("--data-tab " + step + " needs --data-file FILE");
            if ((step.equals("stories") || step.equals("tokenizer")) && output == null)
                throw new IllegalArgumentException("--data-tab " + step + " needs --data-output " + (step.equals("stories") ? "FILE.jsonl" : "FOLDER"));
        }
    }

    private final DataPane pane;

    DataScript(DataPane pane) {
        this.pane = pane;
    }

    /**
     * Runs the step the options name.
     *
     * @param failed told the one-line error when the step ended with one
     * @param done   called once the step has finished (or could not start)
     */
    public void run(Options o, Consumer<String> failed, Runnable done) {
        pane.showStep(o.step());
        String lang = o.language() != null ? o.language() : "en";
        DataTask task;
        switch (o.step()) {
            case "prompts" -> {
                PromptsTab t = pane.prompts();
                t.configure(lang, o.count() != null ? o.count() : 100, 42, 0, 3, false);
                task = t.task();
                t.build();
                if (o.output() != null) {
                    afterwards(task, () -> {
                        t.save(o.output());
                        afterwards(task, () -> finish(task, failed, done));
                    });
                    return;
                }
            }
            case "stories" -> {
                StoriesTab t = pane.stories();
                t.promptsField().setPath(o.file());
                t.outputField().setPath(o.output());
                if (o.endpoint() != null) t.useEndpoint(o.endpoint(), o.model() != null ? o.model() : "llama3", null, 4, 2);
                else t.useLoadedModel("Once upon a time, there was a {adjective} {noun}.", 200);
                task = t.task();
                t.start();
            }
            case "diversity" -> {
                DiversityTab t = pane.diversity();
                t.fileField().setPath(o.file());
                t.setLanguage(lang);
                task = t.task();
                t.analyze();
            }
            case "tokenizer" -> {
                TokenizerTab t = pane.tokenizer();
                t.dataField().setPath(o.file());
                t.outputField().setPath(o.output());
                t.configure(o.vocabSize() != null ? o.vocabSize() : 1024, true, null);
                task = t.task();
                t.train();
            }
            default -> {
                DatasetTab t = pane.dataset();
                t.fileField().setPath(o.file());
                if (o.tokenizer() != null) t.tokenizerField().setPath(o.tokenizer());
                task = t.task();
                t.preview();
                if (o.output() != null) { // and pretokenize into that folder
                    t.outputField().setPath(o.output());
                    afterwards(task, () -> {
                        if (task.errorProperty().get() == null) t.pretokenize();
                        afterwards(task, () -> finish(task, failed, done));
                    });
                    return;
                }
            }
        }
        afterwards(task, () -> finish(task, failed, done));
    }

    private static void finish(DataTask task, Consumer<String> failed, Runnable done) {
        if (task.errorProperty().get() != null) failed.accept(task.errorProperty().get());
        done.run();
    }

    /** Runs {@code then} once the task is not running (now, if it never started). */
    private static void afterwards(DataTask task, Runnable then) {
        if (!task.isRunning()) {
            then.run();
            return;
        }
        task.runningProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends Boolean> o, Boolean was, Boolean is) {
                if (!is) {
                    task.runningProperty().removeListener(this);
                    then.run();
                }
            }
        });
    }
}
