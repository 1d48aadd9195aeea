package dev.llamascope.app.ui.data;

import dev.llamascope.app.cli.AppAssets;
import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.engine.data.synth.AssetSource;
import dev.llamascope.engine.data.synth.PromptBuilder;
import dev.llamascope.engine.data.synth.PromptOptions;
import dev.llamascope.engine.data.synth.PromptRecipe;
import dev.llamascope.engine.data.synth.StoryPrompt;
import dev.llamascope.engine.data.synth.WordLists;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.fxml.FXML;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.SpinnerValueFactory;
import javafx.scene.control.TextField;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * Step 1 of the recipe: a seeded prompt set built by the engine's {@link PromptBuilder} (the same code and the same
 * word lists as {@code llamascope prompts}, so the same settings give the same bytes), shown with each prompt's
 * words and features, and saved as JSONL for the Stories step.
 */
final class PromptsTab extends VBox {
    /** The most prompts the tab builds at once (each is kept in memory for the list; the command line has no limit). */
    static final int MAX_PROMPTS = 1_000_000;

    @FXML private ChoiceBox<String> languageChoice;
    @FXML private Spinner<Integer> countSpinner, minFeaturesSpinner, maxFeaturesSpinner;
    @FXML private TextField seedField;
    @FXML private CheckBox hierarchicalCheck;
    @FXML private Button buildButton, saveButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label statusLabel, errorLabel;
    @FXML private ListView<StoryPrompt> promptList;

    private final DataRecipe recipe;
    private final DataTask task;
    private final ObservableList<StoryPrompt> prompts = FXCollections.observableArrayList();
    private final Map<String, PromptBuilder> builders = new ConcurrentHashMap<>();
    private final AssetSource assets = AppAssets.source();
    /** The options the shown prompts were built with (what Save writes). */
    private PromptOptions builtWith;
    private String builtLanguage;

    PromptsTab(AppContext ctx, DataRecipe recipe) {
        this.recipe = recipe;
        this.task = new DataTask(ctx.engine(), ctx.fxThread());
        FxmlViews.load(this, "prompts-tab.fxml");
        languageChoice.getItems().setAll("en", "zh");
        languageChoice.setValue("en");
        languageChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(String code) {
                return code == null ? "" : switch (code) {
                    case "en" -> "English (en)";
                    case "zh" -> "中文 (zh)";
                    default -> code;
                };
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        countSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(1, MAX_PROMPTS, 100, 10));
        minFeaturesSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 6, 0));
        maxFeaturesSpinner.setValueFactory(new SpinnerValueFactory.IntegerSpinnerValueFactory(0, 6, 3));
        seedField.setText("42");
        DataViews.commitOnFocusLoss(countSpinner, minFeaturesSpinner, maxFeaturesSpinner);

        buildButton.setOnAction(e -> build());
        buildButton.disableProperty().bind(task.runningProperty());
        saveButton.setOnAction(e -> chooseSaveFile());
        saveButton.disableProperty().bind(task.runningProperty().or(Bindings.isEmpty(prompts)));
        DataViews.bindProgress(task, progressBar, statusLabel, errorLabel);

        promptList.setItems(prompts);
        promptList.setCellFactory(l -> new PromptCell());
        promptList.setPlaceholder(new Label("Choose the settings and build: the prompts appear here with their words and features."));
    }

    /** Sets the form (for the snapshot mode and tests). */
    void configure(String language, int count, long seed, int minFeatures, int maxFeatures, boolean hierarchical) {
        languageChoice.setValue(language);
        countSpinner.getValueFactory().setValue(count);
        seedField.setText(Long.toString(seed));
        minFeaturesSpinner.getValueFactory().setValue(minFeatures);
        maxFeaturesSpinner.getValueFactory().setValue(maxFeatures);
        hierarchicalCheck.setSelected(hierarchical);
    }

    /** Reads the form; null (with the error line set) when a field is wrong. */
    private PromptOptions options() {
        long seed;
        try {
            seed = Long.parseLong(seedField.getText().strip());
        } catch (NumberFormatException e) {
            task.error("The seed must be a whole number, got '" + seedField.getText().strip() + "'.");
            return null;
        }
        try {
            return new PromptOptions(seed, countSpinner.getValue(), minFeaturesSpinner.getValue(), maxFeaturesSpinner.getValue(),
                    hierarchicalCheck.isSelected());
        } catch (IllegalArgumentException e) {
            task.error(e.getMessage());
            return null;
        }
    }

    /** Builds the prompts the form describes, off the FX thread. */
    void build() {
        PromptOptions o = options();
        if (o == null) return;
        String lang = languageChoice.getValue();
        task.start("build prompts", "Building " + o.count() + " prompts…", (progress, cancel) -> {
            PromptBuilder b = builder(lang);
            List<StoryPrompt> out = new java.util.ArrayList<>(o.count());
            if (o.maxFeatures() > b.recipe().features().size()) return b.build(o); // its own error message
            for (int i = 0; i < o.count(); i++) {
                if ((i & 4095) == 0) {
                    if (cancel.isCancelled()) throw new java.util.concurrent.CancellationException();
                    progress.report((double) i / o.count(), null);
                }
                out.add(b.prompt(o, i));
            }
            return out;
        }, null, list -> {
            prompts.setAll(list);
            builtWith = o;
            builtLanguage = lang;
            task.statusProperty().set(String.format(Locale.ROOT, "%,d prompts (seed %d, %s, %d–%d features%s).", list.size(), o.seed(), lang,
                    o.minFeatures(), o.maxFeatures(), o.hierarchical() ? ", hierarchical" : ""));
        });
    }

    private PromptBuilder builder(String lang) throws java.io.IOException {
        PromptBuilder b = builders.get(lang);
        if (b == null) {
            b = new PromptBuilder(WordLists.load(assets, lang), PromptRecipe.load(assets, lang));
            builders.put(lang, b);
        }
        return b;
    }

    private void chooseSaveFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Save the prompts");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("JSON Lines", "*.jsonl"));
        fc.setInitialFileName("prompts-" + builtLanguage + "-" + (builtWith == null ? 0 : builtWith.seed()) + ".jsonl");
        Path last = recipe.promptsProperty().get();
        if (last != null && last.toAbsolutePath().getParent() != null && last.toAbsolutePath().getParent().toFile().isDirectory())
            fc.setInitialDirectory(last.toAbsolutePath().getParent().toFile());
        java.io.File f = fc.showSaveDialog(getScene() == null ? null : getScene().getWindow());
        if (f != null) save(f.toPath());
    }

    /** Writes the shown prompts as JSONL (atomically), and offers the file to the Stories step. */
    void save(Path file) {
        List<StoryPrompt> snapshot = List.copyOf(prompts);
        String lang = builtLanguage;
        if (snapshot.isEmpty()) {
            task.error("Build the prompts first.");
            return;
        }
        task.start("save prompts", "Saving…", (progress, cancel) -> {
            PromptBuilder.write(file, snapshot);
            return file;
        }, null, f -> {
            recipe.languageProperty().set(lang);
            recipe.promptsProperty().set(f);
            task.statusProperty().set(String.format(Locale.ROOT, "Saved %,d prompts to %s.", snapshot.size(), f));
        });
    }

    ObservableList<StoryPrompt> prompts() {
        return prompts;
    }

    DataTask task() {
        return task;
    }

    /** One prompt: its id, its words and features as chips, and the text. */
    private final class PromptCell extends ListCell<StoryPrompt> {
        private final Label id = new Label();
        private final FlowPane chips = new FlowPane(6, 4);
        private final Label text = new Label();
        private final VBox box = new VBox(4, chips, text);

        PromptCell() {
            id.getStyleClass().add("prompt-id");
            DataViews.wrapInList(text, promptList);
            text.getStyleClass().add("prompt-text");
            box.getStyleClass().add("prompt-cell");
            chips.prefWrapLengthProperty().bind(promptList.widthProperty().subtract(40));
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(StoryPrompt p, boolean empty) {
            super.updateItem(p, empty);
            if (empty || p == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            id.setText(p.id());
            chips.getChildren().setAll(id, DataViews.chip("verb", p.verb(), "chip-verb"), DataViews.chip("noun", p.noun(), "chip-noun"),
                    DataViews.chip("adjective", p.adjective(), "chip-adjective"));
            for (String f : p.features()) chips.getChildren().add(DataViews.chip(null, f.replace('_', ' '), "chip-feature"));
            if (p.hierarchical()) chips.getChildren().add(DataViews.chip(null, "plan first", "chip-plan"));
            text.setText(p.prompt());
            setText(null);
            setGraphic(box);
        }
    }
}
