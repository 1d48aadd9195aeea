package dev.llamascope.app.ui.data;

import dev.llamascope.app.cli.AppAssets;
import dev.llamascope.app.ui.AppContext;
import dev.llamascope.app.ui.FxmlViews;
import dev.llamascope.app.ui.concurrent.ComputeLane;
import dev.llamascope.engine.data.diversity.CoverageCounter;
import dev.llamascope.engine.data.diversity.DistinctNGrams;
import dev.llamascope.engine.data.diversity.DiversityAnalyzer;
import dev.llamascope.engine.data.diversity.DiversityOptions;
import dev.llamascope.engine.data.diversity.DiversityReport;
import dev.llamascope.engine.data.diversity.LengthHistogram;
import dev.llamascope.engine.data.diversity.NearDuplicates;
import dev.llamascope.engine.data.diversity.VocabularyCoverage;
import dev.llamascope.engine.data.synth.AssetSource;
import dev.llamascope.engine.data.synth.WordLists;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.fxml.FXML;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

/**
 * Step 3: the engine's {@link DiversityAnalyzer} on a story file (JSONL or text), drawn: how many of the word-list
 * words the stories use, distinct 1/2/3-gram ratios, the length histogram, and near-duplicate pairs with both texts.
 * The analysis borrows the app's compute pool (it waits while a generation has it).
 */
final class DiversityTab extends VBox {
    /** Characters of each document shown beside a near-duplicate pair. */
    static final int SNIPPET = 160;

    @FXML private VBox fileSlot;
    @FXML private ChoiceBox<String> languageChoice;
    @FXML private Button analyzeButton, cancelButton;
    @FXML private ProgressBar progressBar;
    @FXML private Label statusLabel, summaryLabel, errorLabel, duplicatesLabel, lengthTitle;
    @FXML private BarChart<String, Number> coverageChart, distinctChart, lengthChart;
    @FXML private ListView<DuplicatePair> duplicateList;

    /** A near-duplicate pair with the beginnings of both texts. */
    record DuplicatePair(int first, int second, double jaccard, String firstText, String secondText) {}

    /** A finished analysis: the report and the texts it was made from (for the pair snippets). */
    record Analysis(Path file, DiversityReport report, List<String> documents) {}

    private final AppContext ctx;
    private final DataTask task;
    private final FileField fileField = new FileField("diversityFile", FileField.Kind.OPEN, "Choose a story file", "stories.jsonl or a text file",
            new FileChooser.ExtensionFilter("Stories", "*.jsonl", "*.json", "*.txt"));
    private final AssetSource assets = AppAssets.source();
    private DiversityReport report;

    DiversityTab(AppContext ctx, DataRecipe recipe) {
        this.ctx = ctx;
        this.task = new DataTask(ctx.engine(), ctx.fxThread());
        FxmlViews.load(this, "diversity-tab.fxml");
        fileSlot.getChildren().setAll(fileField);
        fileField.follow(recipe.storiesProperty());
        languageChoice.getItems().setAll("en", "zh", "none");
        languageChoice.setValue("en");
        recipe.languageProperty().addListener((o, a, b) -> {
            if (b != null && languageChoice.getItems().contains(b)) languageChoice.setValue(b);
        });
        analyzeButton.setOnAction(e -> analyze());
        analyzeButton.disableProperty().bind(task.runningProperty());
        cancelButton.setOnAction(e -> task.cancel());
        cancelButton.disableProperty().bind(task.runningProperty().not());
        DataViews.bindProgress(task, progressBar, statusLabel, errorLabel);
        summaryLabel.setText("Choose a story file (step 2 writes one) and analyse it.");
        for (Label l : List.of(duplicatesLabel, summaryLabel)) l.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        duplicateList.setCellFactory(l -> new PairCell());
        duplicateList.setPlaceholder(new Label("No near-duplicates to show."));
        coverageChart.getXAxis().setAnimated(false);
    }

    FileField fileField() {
        return fileField;
    }

    void setLanguage(String lang) {
        languageChoice.setValue(lang);
    }

    String language() {
        return languageChoice.getValue();
    }

    /** Runs the report on the chosen file, off the FX thread. */
    void analyze() {
        Path file = fileField.path();
        if (file == null) {
            task.error("Choose a story file first (JSONL from step 2, or text with one story per line).");
            return;
        }
        String lang = languageChoice.getValue();
        int threads = ctx.session().threadsProperty().get();
        ComputeLane lane = ctx.session().compute();
        task.start("diversity", "Reading " + file.getFileName() + "…", (progress, cancel) -> {
            List<String> docs = DocumentFiles.read(file);
            CoverageCounter coverage = null;
            if (!lang.equals("none")) {
                WordLists w = WordLists.load(assets, lang);
                coverage = new CoverageCounter(w.byName(), WordLists.loadForms(assets, lang));
            }
            progress.report(-1, String.format(Locale.ROOT, "Analysing %,d stories…", docs.size()));
            try (ComputeLane.Lease lease = lane.acquire(threads, cancel, null,
                    () -> progress.report(-1, "Waiting for the compute threads (a generation is running)…"))) {
                DiversityReport r = new DiversityAnalyzer(DiversityOptions.defaults(), lease.pool()).analyze(docs, coverage);
                return new Analysis(file, r, docs);
            }
        }, null, a -> {
            show(a);
            task.statusProperty().set("Analysed " + a.file().getFileName() + ".");
        });
    }

    /** Draws a report (FX thread). */
    void show(Analysis a) {
        DiversityReport r = a.report();
        report = r;
        LengthHistogram h = r.lengths();
        summaryLabel.setText(String.format(Locale.ROOT, "%,d stories, %,d words. Length per story: mean %.1f, median %d, 10%% below %d, 90%% below %d, longest %d words.",
                r.documents(), r.words(), h.mean(), h.median(), h.p10(), h.p90(), h.max()));

        coverageChart.getData().clear();
        if (r.coverage() != null) {
            XYChart.Series<String, Number> listed = new XYChart.Series<>(), used = new XYChart.Series<>();
            listed.setName("in the list");
            used.setName("used in the stories");
            for (VocabularyCoverage.Category c : r.coverage().categories()) {
                String name = String.format(Locale.ROOT, "%s (%.0f%%)", c.name(), 100 * c.ratio());
                listed.getData().add(new XYChart.Data<>(name, c.listed()));
                used.getData().add(new XYChart.Data<>(name, c.used()));
            }
            coverageChart.getData().setAll(List.of(listed, used));
        }

        XYChart.Series<String, Number> distinct = new XYChart.Series<>();
        for (DistinctNGrams g : r.distinct()) distinct.getData().add(new XYChart.Data<>(String.format(Locale.ROOT, "distinct-%d  %.3f", g.n(), g.ratio()), g.ratio()));
        distinctChart.getData().setAll(List.of(distinct));

        XYChart.Series<String, Number> lengths = new XYChart.Series<>();
        for (LengthHistogram.Bin b : h.bins()) lengths.getData().add(new XYChart.Data<>(b.from() + "–" + (b.to() - 1), b.count()));
        lengthChart.getData().setAll(List.of(lengths));
        lengthTitle.setText("Story lengths (" + h.unit() + " per story)");

        NearDuplicates nd = r.nearDuplicates();
        duplicatesLabel.setText(String.format(Locale.ROOT, "%,d pairs with Jaccard ≥ %.2f over %d-word shingles: %,d groups, %,d stories one could drop.",
                nd.pairCount(), nd.threshold(), nd.shingleWords(), nd.clusters(), nd.redundantDocuments()));
        List<DuplicatePair> pairs = new java.util.ArrayList<>();
        for (NearDuplicates.Pair p : nd.pairs())
            pairs.add(new DuplicatePair(p.first(), p.second(), p.jaccard(), snippet(a.documents().get(p.first())), snippet(a.documents().get(p.second()))));
        duplicateList.getItems().setAll(pairs);
    }

    private static String snippet(String s) {
        String t = s.replace('\n', ' ').strip();
        return t.length() <= SNIPPET ? t : t.substring(0, SNIPPET) + "…";
    }

    DiversityReport report() {
        return report;
    }

    BarChart<String, Number> coverageChart() {
        return coverageChart;
    }

    BarChart<String, Number> distinctChart() {
        return distinctChart;
    }

    BarChart<String, Number> lengthChart() {
        return lengthChart;
    }

    ListView<DuplicatePair> duplicateList() {
        return duplicateList;
    }

    DataTask task() {
        return task;
    }

    private final class PairCell extends ListCell<DuplicatePair> {
        private final Label head = new Label();
        private final Label a = new Label(), b = new Label();
        private final VBox box = new VBox(2, head, a, b);

        PairCell() {
            head.getStyleClass().add("prompt-id");
            for (Label l : List.of(a, b)) DataViews.wrapInList(l, duplicateList);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(DuplicatePair p, boolean empty) {
            super.updateItem(p, empty);
            if (empty || p == null) {
                setGraphic(null);
                return;
            }
            head.setText(String.format(Locale.ROOT, "stories %d and %d · Jaccard %.2f", p.first() + 1, p.second() + 1, p.jaccard()));
            a.setText("▸ " + p.firstText());
            b.setText("▸ " + p.secondText());
            setGraphic(box);
        }
    }
}
