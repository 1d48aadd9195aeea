package dev.llamascope.app.ui.data;

import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.concurrent.FrameDrain;
import dev.llamascope.app.ui.concurrent.FxLatest;
import dev.llamascope.app.ui.session.ModelHandle;
import dev.llamascope.app.ui.settings.DataPrefs;
import dev.llamascope.engine.data.synth.EndpointConfig;
import dev.llamascope.engine.data.synth.Pricing;
import dev.llamascope.engine.data.synth.RetryPolicy;
import dev.llamascope.engine.data.synth.StoryGenerationRun;
import dev.llamascope.engine.data.synth.StoryPrompt;
import dev.llamascope.engine.data.synth.UsageMeter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.RadioButton;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * Step 2: a story for every prompt, written by an OpenAI-compatible server (Ollama, llama.cpp's server, vLLM, an
 * API) or by the loaded model, appended to a JSONL file as each one completes; a second run skips the prompts
 * already there, and Stop keeps what is done. Live: stories done of total, tokens in and out, the cost, failures,
 * retries, the rate, and the latest stories. The API key is read from the environment variable named here; the key
 * itself is never shown or stored.
 */
final class StoriesTab extends HBox {
    /** Latest stories kept on screen. */
    static final int SHOWN_STORIES = 60;

    @FXML private VBox promptsSlot, outputSlot;
    @FXML private RadioButton endpointRadio, engineRadio;
    @FXML private GridPane endpointGrid, engineGrid, commonGrid, statsGrid;
    @FXML private TextField urlField, modelField, keyEnvField, priceInField, priceOutField, templateField, seedField;
    @FXML private Spinner<Integer> concurrencySpinner, rpmSpinner, attemptsSpinner, maxTokensSpinner;
    @FXML private Spinner<Double> temperatureSpinner;
    @FXML private Label engineModelLabel, statusLabel, errorLabel;
    @FXML private Button startButton, stopButton;
    @FXML private ProgressBar progressBar;
    @FXML private ListView<StoryLine> storyList;

    /** A story as it arrived. */
    record StoryLine(String id, String words, String story) {}

    /** The run's counters at one moment. */
    record Stats(int total, int already, int written, int failed, UsageMeter.Usage usage, long nanos, String lastRetry) {}

    private final AppContext ctx;
    private final DataRecipe recipe;
    private final DataTask task;
    private final Function<String, String> env;
    private final FileField promptsField = new FileField("storyPrompts", FileField.Kind.OPEN, "Choose a prompt file",
            "the prompts saved in step 1", new FileChooser.ExtensionFilter("JSON Lines", "*.jsonl"));
    private final FileField outputField = new FileField("storyOutput", FileField.Kind.SAVE, "Where to write the stories",
            "stories.jsonl", new FileChooser.ExtensionFilter("JSON Lines", "*.jsonl"));
    private final ObservableList<StoryLine> stories = FXCollections.observableArrayList();
    private final FrameDrain<StoryLine> arriving = new FrameDrain<>(SHOWN_STORIES, 100, this::arrived);
    private final Label[] statValues = new Label[6];
    private Stats last;
    private StoryRun current;

    StoriesTab(AppContext ctx, DataRecipe recipe, Function<String, String> env) {
        this.ctx = ctx;
        this.recipe = recipe;
        this.env = env;
        this.task = new DataTask(ctx.engine(), ctx.fxThread());
        FxmlViews.load(this, "stories-tab.fxml");
        DataViews.formColumns(150, endpointGrid, engineGrid, commonGrid);
        promptsSlot.getChildren().setAll(promptsField);
        outputSlot.getChildren().setAll(outputField);
        promptsField.follow(recipe.promptsProperty());
        recipe.promptsProperty().addListener((o, a, b) -> {
            Path dir = b == null ? null : b.toAbsolutePath().getParent();
            if (dir != null) outputField.suggest(dir.resolve("stories.jsonl"));
        });

        ToggleGroup backend = new ToggleGroup();
        endpointRadio.setToggleGroup(backend);
        engineRadio.setToggleGroup(backend);
        endpointRadio.setSelected(true);
        endpointGrid.visibleProperty().bind(endpointRadio.selectedProperty());
        endpointGrid.managedProperty().bind(endpointGrid.visibleProperty());
        engineGrid.visibleProperty().bind(engineRadio.selectedProperty());
        engineGrid.managedProperty().bind(engineGrid.visibleProperty());
        engineModelLabel.textProperty().bind(Bindings.createStringBinding(() -> {
            ModelHandle h = ctx.session().current();
            return h == null ? "No model loaded: open one in Models." : h.modelPath().getFileName().toString();
        }, ctx.session().currentProperty()));

        DataPrefs prefs = ctx.settings().data();
        urlField.setText(prefs.endpoint());
        modelField.setText(prefs.model());
        keyEnvField.setText(prefs.apiKeyVariable());
        templateField.setText("Once upon a time, there was a {adjective} {noun}.");
        templateField.setTooltip(new javafx.scene.control.Tooltip("{prompt} is the whole prompt (for a chat model); {verb}, {noun} and "
                + "{adjective} are its words, so a small story model that cannot follow instructions gets an opening instead."));
        seedField.setText("42");
        concurrencySpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 256, prefs.concurrency()));
        rpmSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 100_000, prefs.requestsPerMinute(), 10));
        rpmSpinner.setTooltip(new javafx.scene.control.Tooltip("0 = no limit"));
        attemptsSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 20, 6));
        attemptsSpinner.setTooltip(new javafx.scene.control.Tooltip("Requests per prompt before it counts as failed "
                + "(429, 5xx, timeouts and dropped connections are retried with a growing wait)"));
        maxTokensSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, 32_768, 512, 64));
        temperatureSpinner.setValueFactory(new SpinnerValueFactory.DoubleSpinnerValueFactory(0, 2, 1.0, 0.1));
        DataViews.commitOnFocusLoss(concurrencySpinner, rpmSpinner, attemptsSpinner, maxTokensSpinner, temperatureSpinner);

        // The form describes the run under way: it stays as it was until the run ends.
        for (javafx.scene.Node n : List.of(promptsField, outputField, endpointRadio, engineRadio, endpointGrid, engineGrid, commonGrid))
            n.disableProperty().bind(task.runningProperty());
        startButton.setOnAction(e -> start());
        startButton.disableProperty().bind(task.runningProperty());
        stopButton.setOnAction(e -> stop());
        stopButton.disableProperty().bind(task.runningProperty().not());
        DataViews.bindProgress(task, progressBar, statusLabel, errorLabel);
        task.runningProperty().addListener((o, was, is) -> {
            if (!is) { // ended (done, stopped or failed): show the last stories that came in, then rest
                arriving.drain();
                arriving.stop();
            }
        });
        progressBar.visibleProperty().unbind();
        progressBar.setVisible(true); // stays, full or partly full, after the run: how far the file got

        String[] names = {"Stories", "Tokens in / out", "Cost", "Failed / retries", "Rate", "Time"};
        for (int i = 0; i < names.length; i++) {
            Label k = new Label(names[i]);
            k.getStyleClass().add("muted");
            Label v = new Label("–");
            v.setId("stat" + i);
            v.getStyleClass().add("stat-value");
            statValues[i] = v;
            statsGrid.add(k, (i % 3) * 2, i / 3);
            statsGrid.add(v, (i % 3) * 2 + 1, i / 3);
        }
        storyList.setItems(stories);
        storyList.setCellFactory(l -> new StoryCell());
        storyList.setPlaceholder(new Label("Stories appear here as they arrive."));
    }

    FileField promptsField() {
        return promptsField;
    }

    FileField outputField() {
        return outputField;
    }

    /** Sets the endpoint part of the form (tests and the snapshot mode). */
    void useEndpoint(String url, String model, String keyVariable, int concurrency, int attempts) {
        endpointRadio.setSelected(true);
        urlField.setText(url);
        modelField.setText(model);
        keyEnvField.setText(keyVariable == null ? "" : keyVariable);
        concurrencySpinner.getValueFactory().setValue(concurrency);
        attemptsSpinner.getValueFactory().setValue(attempts);
    }

    void useLoadedModel(String template, int maxTokens) {
        engineRadio.setSelected(true);
        templateField.setText(template);
        maxTokensSpinner.getValueFactory().setValue(maxTokens);
    }

    void setPrices(String in, String out) {
        priceInField.setText(in);
        priceOutField.setText(out);
    }

    /** The form as settings; null (and the error line says why) when something is missing or wrong. */
    private StoryRun.Settings settings() {
        Path prompts = promptsField.path(), out = outputField.path();
        if (prompts == null) return bad("Choose the prompt file (step 1 saves one).");
        if (out == null) return bad("Choose where to write the stories (a .jsonl file).");
        if (prompts.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize()))
            return bad("The stories file must not be the prompt file.");
        double in = price(priceInField), outPrice = price(priceOutField);
        if (Double.isNaN(in) || Double.isNaN(outPrice)) return bad("Prices are numbers per 1,000 tokens (or empty for free).");
        int maxTokens = maxTokensSpinner.getValue();
        double temperature = temperatureSpinner.getValue();
        if (engineRadio.isSelected()) {
            long seed;
            try {
                seed = Long.parseLong(seedField.getText().strip());
            } catch (NumberFormatException e) {
                return bad("The seed must be a whole number.");
            }
            if (templateField.getText().isBlank()) return bad("Say what the model is given ({prompt}, or an opening with {noun}…).");
            if (ctx.session().current() == null) return bad("No model is loaded: open one in Models, or use a server.");
            return new StoryRun.Settings(prompts, out, null, templateField.getText(), seed, maxTokens, temperature, 1, new Pricing(in, outPrice));
        }
        EndpointConfig cfg;
        String key = keyEnvField.getText().strip();
        try {
            URI uri = new URI(urlField.getText().strip());
            if (!key.isEmpty() && !key.matches("[A-Za-z_][A-Za-z0-9_]*"))
                return bad("The API key field takes the name of an environment variable (such as OPENAI_API_KEY), not the key.");
            if (modelField.getText().isBlank()) return bad("Name the model the server should use.");
            if (uri.getHost() == null && uri.getScheme() != null && uri.getScheme().startsWith("http"))
                return bad("The endpoint URL has no host: " + urlField.getText().strip());
            cfg = new EndpointConfig(uri, modelField.getText().strip(), key.isEmpty() ? null : key, null, maxTokens, temperature,
                    rpmSpinner.getValue(), Duration.ofSeconds(120),
                    new RetryPolicy(attemptsSpinner.getValue(), Duration.ofSeconds(1), Duration.ofSeconds(60), 2));
        } catch (java.net.URISyntaxException e) {
            return bad("The endpoint is not a URL: " + urlField.getText().strip());
        } catch (IllegalArgumentException e) {
            return bad(e.getMessage());
        }
        // Remembered for the next session (the key's variable name only; the key is read from it when the run starts).
        ctx.settings().setData(new DataPrefs(urlField.getText().strip(), cfg.model(), key, concurrencySpinner.getValue(), rpmSpinner.getValue()));
        return new StoryRun.Settings(prompts, out, cfg, null, 0, maxTokens, temperature, concurrencySpinner.getValue(), new Pricing(in, outPrice));
    }

    private static double price(TextField f) {
        String s = f.getText().strip();
        if (s.isEmpty()) return 0;
        try {
            double d = Double.parseDouble(s);
            return d >= 0 ? d : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private StoryRun.Settings bad(String message) {
        task.error(message);
        return null;
    }

    /** Starts writing stories (FX thread). */
    void start() {
        StoryRun.Settings s = settings();
        if (s == null) return;
        StoryRun run = new StoryRun(env);
        ModelHandle model = ctx.session().current();
        int threads = ctx.session().threadsProperty().get();
        stories.clear();
        arriving.clear();
        arriving.start();
        showStats(null);
        Counters counters = new Counters(run, new FxLatest<>(ctx.fxThread(), st -> {
            if (current == run && task.isRunning()) showStats(st);
        }));
        current = run;
        String who = s.endpoint() != null ? s.endpoint().model() + " at " + s.endpoint().chatCompletionsUri()
                : model.modelPath().getFileName().toString();
        task.start("write stories", "Writing stories with " + who + "…", (progress, cancel) -> {
            counters.progress = progress;
            return run.run(s, model, ctx.session().compute(), threads, cancel, counters);
        }, run::stop, summary -> finished(summary, s.output(), counters.lastRetry));
    }

    /** Counts what the run reports from its threads and publishes it, throttled, to the FX thread. */
    private final class Counters implements StoryRun.Listener {
        final long t0 = System.nanoTime();
        final FxLatest<Stats> stats;
        final java.util.concurrent.atomic.AtomicInteger written = new java.util.concurrent.atomic.AtomicInteger(),
                failed = new java.util.concurrent.atomic.AtomicInteger();
        final java.util.concurrent.atomic.AtomicReference<UsageMeter.Usage> usage = new java.util.concurrent.atomic.AtomicReference<>();
        volatile int total, already;
        volatile String lastRetry;
        volatile DataTask.Progress progress;

        Counters(StoryRun run, FxLatest<Stats> stats) {
            this.stats = stats;
        }

        @Override
        public void started(int total, int alreadyDone) {
            this.total = total;
            this.already = alreadyDone;
            publish();
        }

        @Override
        public void written(StoryPrompt p, String story, UsageMeter.Usage u) {
            written.incrementAndGet();
            usage.set(u);
            arriving.offer(new StoryLine(p.id(), p.verb() + " · " + p.noun() + " · " + p.adjective(), story));
            publish();
        }

        @Override
        public void failed(StoryPrompt p, String reason) {
            failed.incrementAndGet();
            publish();
        }

        @Override
        public void retrying(String reason) {
            lastRetry = reason;
            publish();
        }

        @Override
        public void waitingForCompute() {
            DataTask.Progress p = progress;
            if (p != null) p.report(-1, "Waiting for the compute threads (a generation is running)…");
        }

        private void publish() {
            stats.set(new Stats(total, already, written.get(), failed.get(), usage.get(), System.nanoTime() - t0, lastRetry));
            DataTask.Progress p = progress;
            if (p != null && total > 0) p.report((double) (already + written.get() + failed.get()) / total, null);
        }
    }

    private void finished(StoryGenerationRun.Summary s, Path output, String lastRetry) {
        recipe.storiesProperty().set(output);
        UsageMeter.Usage u = s.usage();
        String line = String.format(Locale.ROOT, "%s: %,d written, %,d already in %s, %,d failed, in %.1f s.",
                s.cancelled() ? "Stopped" : "Done", s.written(), s.alreadyDone(), output.getFileName(), s.failed(), s.nanos() / 1e9);
        task.statusProperty().set(line);
        showStats(new Stats(s.total(), s.alreadyDone(), s.written(), s.failed(), u, s.nanos(), lastRetry));
        task.progressProperty().set(s.total() == 0 ? 1 : (double) (s.alreadyDone() + s.written()) / s.total());
        if (s.firstError() != null)
            task.error((s.failed() == 1 ? "1 prompt failed: " : s.failed() + " prompts failed; the first: ") + s.firstError().replace('\n', ' '));
    }

    /** Stops taking prompts; the stories in flight are finished and kept. */
    void stop() {
        task.cancel();
    }

    private void showStats(Stats st) {
        last = st;
        if (st == null) {
            for (Label l : statValues) l.setText("–");
            return;
        }
        UsageMeter.Usage u = st.usage();
        int done = st.already() + st.written();
        statValues[0].setText(String.format(Locale.ROOT, "%,d / %,d", done, st.total()));
        statValues[1].setText(u == null ? "0 / 0" : String.format(Locale.ROOT, "%,d / %,d", u.promptTokens(), u.completionTokens()));
        statValues[2].setText(u == null ? "0" : String.format(Locale.ROOT, "%.4f", u.cost()));
        statValues[3].setText(String.format(Locale.ROOT, "%,d / %,d", st.failed(), u == null ? 0 : u.retries()));
        double minutes = st.nanos() / 6e10;
        statValues[4].setText(minutes <= 0 ? "–" : String.format(Locale.ROOT, "%.1f stories/min", st.written() / minutes));
        statValues[5].setText(String.format(Locale.ROOT, "%.1f s", st.nanos() / 1e9));
        statValues[3].setTooltip(st.lastRetry() == null ? null : new javafx.scene.control.Tooltip("last retry: " + st.lastRetry()));
    }

    private void arrived(List<StoryLine> batch) {
        for (StoryLine l : batch) stories.addFirst(l);
        if (stories.size() > SHOWN_STORIES) stories.remove(SHOWN_STORIES, stories.size());
    }

    ObservableList<StoryLine> stories() {
        return stories;
    }

    DataTask task() {
        return task;
    }

    Stats stats() {
        return last;
    }

    void dispose() {
        arriving.stop();
        task.cancel();
    }

    private final class StoryCell extends ListCell<StoryLine> {
        private final Label head = new Label();
        private final Label text = new Label();
        private final VBox box = new VBox(2, head, text);

        StoryCell() {
            head.getStyleClass().add("prompt-id");
            DataViews.wrapInList(text, storyList);
            text.getStyleClass().add("story-text");
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(StoryLine s, boolean empty) {
            super.updateItem(s, empty);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            head.setText(s.id() + "  ·  " + s.words());
            text.setText(s.story());
            setGraphic(box);
        }
    }
}
