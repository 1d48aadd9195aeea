package dev.llamascope.app.ui.data;

import static dev.llamascope.app.ui.AppDriver.fx;
import static dev.llamascope.app.ui.AppDriver.onFx;
import static dev.llamascope.app.ui.AppDriver.waitUntil;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.llamascope.app.cli.AppAssets;
import dev.llamascope.app.cli.Cli;
import dev.llamascope.app.ui.AppDriver;
import dev.llamascope.app.ui.TestData;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataPreview;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.data.diversity.CoverageCounter;
import dev.llamascope.engine.data.diversity.DiversityAnalyzer;
import dev.llamascope.engine.data.diversity.DiversityOptions;
import dev.llamascope.engine.data.diversity.DiversityReport;
import dev.llamascope.engine.data.prep.PrepProgress;
import dev.llamascope.engine.data.prep.Pretokenizer;
import dev.llamascope.engine.data.synth.StoryPrompt;
import dev.llamascope.engine.data.synth.WordLists;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Llama2cTokenizer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import dev.llamascope.engine.util.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Data pane in the running app, headless: each step of the recipe against real files, a local chat-completions
 * server and the shared sample text, compared with the command line and the engine run directly; and bad inputs,
 * which give one line of error and leave the pane usable.
 */
class DataPaneGuiTest {
    @TempDir
    Path dir;
    private AppDriver app;
    private DataPane pane;

    @BeforeEach
    void start() throws Exception {
        app = new AppDriver(dir.resolve("config"));
        pane = onFx(() -> app.app().window().pane(DataPane.ID, DataPane.class));
        fx(() -> app.app().context().navigation().show(DataPane.ID));
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) app.close();
    }

    static int cli(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(ps);
        try {
            int code = new Cli(Cli.standardCommands(), ps).run(args);
            assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));
            return code;
        } finally {
            System.setErr(old);
        }
    }

    private static void waitFor(DataTask task, int seconds) {
        waitUntil(() -> !task.isRunning(), seconds);
    }

    @Test
    void promptsTabReproducesTheCommandLinesPromptsForTheSameSeed() throws Exception {
        PromptsTab t = pane.prompts();
        fx(() -> {
            pane.showStep("prompts");
            t.configure("en", 50, 7, 1, 2, false);
            t.build();
        });
        waitFor(t.task(), 30);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        assertEquals(50, onFx(() -> t.prompts().size()));
        Path mine = dir.resolve("pane.jsonl"), theirs = dir.resolve("cli.jsonl");
        fx(() -> t.save(mine));
        waitFor(t.task(), 30);
        cli("prompts", "-n", "50", "--seed", "7", "--features", "1-2", "-o", theirs.toString());
        assertArrayEquals(Files.readAllBytes(theirs), Files.readAllBytes(mine));
        assertEquals(mine, onFx(() -> pane.recipe().promptsProperty().get()));
        // The words and features are on screen: the first cell shows the first prompt's chips.
        StoryPrompt first = onFx(() -> t.prompts().getFirst());
        assertTrue(app.robot.lookup(".chip-noun").queryAllAs(Label.class).stream().anyMatch(l -> l.getText().equals("noun · " + first.noun())));
        assertEquals(first.features().size() >= 1, !app.robot.lookup(".chip-feature").queryAll().isEmpty());
        // The Stories step starts from the saved file.
        assertEquals(mine, onFx(() -> pane.stories().promptsField().path()));

        // Chinese, hierarchical: the same as the command line too, and the glyphs are text the list shows.
        Path zhMine = dir.resolve("zh-pane.jsonl"), zhTheirs = dir.resolve("zh-cli.jsonl");
        fx(() -> {
            t.configure("zh", 5, 42, 0, 3, true);
            t.build();
        });
        waitFor(t.task(), 30);
        fx(() -> t.save(zhMine));
        waitFor(t.task(), 30);
        cli("prompts", "-n", "5", "--lang", "zh", "--hierarchical", "-o", zhTheirs.toString());
        assertArrayEquals(Files.readAllBytes(zhTheirs), Files.readAllBytes(zhMine));
        assertTrue(onFx(() -> t.prompts().getFirst().prompt()).contains("概要："));
        assertEquals("zh", onFx(() -> pane.diversity().language()), "the diversity step counts the Chinese word lists now");

        // A bad seed: one line, and the last good prompts stay.
        fx(() -> {
            t.configure("en", 3, 1, 0, 3, false);
            ((javafx.scene.control.TextField) app.robot.lookup("#promptSeed").query()).setText("seven");
            t.build();
        });
        assertEquals("The seed must be a whole number, got 'seven'.", onFx(() -> t.task().errorProperty().get()));
        assertEquals(5, onFx(() -> t.prompts().size()));
        fx(() -> {
            ((javafx.scene.control.TextField) app.robot.lookup("#promptSeed").query()).setText("3");
            t.build();
        });
        waitFor(t.task(), 30);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        assertEquals(3, onFx(() -> t.prompts().size()));
    }

    @Test
    void storiesTabWritesTheJsonlFromALocalServerAndResumes() throws Exception {
        Path prompts12 = dir.resolve("p12.jsonl"), prompts16 = dir.resolve("p16.jsonl"), out = dir.resolve("stories.jsonl");
        cli("prompts", "-n", "12", "--seed", "5", "-o", prompts12.toString());
        cli("prompts", "-n", "16", "--seed", "5", "-o", prompts16.toString());
        StoriesTab t = pane.stories();
        try (CannedStoryServer server = new CannedStoryServer(0)) {
            fx(() -> {
                pane.showStep("stories");
                t.promptsField().setPath(prompts12);
                t.outputField().setPath(out);
                t.useEndpoint(server.baseUrl(), "canned", null, 3, 2);
                t.setPrices("0.5", "1.5");
                t.start();
            });
            waitFor(t.task(), 60);
            assertNull(onFx(() -> t.task().errorProperty().get()));
            List<String> lines = Files.readAllLines(out);
            assertEquals(12, lines.size());
            assertEquals(12, server.calls());
            Map<String, Object> rec = Json.parseObject(lines.getFirst());
            assertEquals("canned", rec.get("model"));
            assertTrue(((String) rec.get("story")).startsWith("Once upon a time"));
            StoriesTab.Stats s = onFx(t::stats);
            assertEquals(12, s.written());
            assertEquals(12, s.total());
            long in = 0, outTokens = 0;
            for (String l : lines) {
                Map<?, ?> u = (Map<?, ?>) Json.parseObject(l).get("usage");
                in += ((Number) u.get("prompt_tokens")).longValue();
                outTokens += ((Number) u.get("completion_tokens")).longValue();
            }
            assertEquals(String.format(Locale.ROOT, "%,d / %,d", in, outTokens), text("#stat1"));
            assertEquals(String.format(Locale.ROOT, "%.4f", in / 1000.0 * 0.5 + outTokens / 1000.0 * 1.5), text("#stat2"));
            assertEquals("12 / 12", text("#stat0"));
            assertEquals(12, onFx(() -> t.stories().size()));
            assertTrue(onFx(() -> t.task().statusProperty().get()).startsWith("Done: 12 written, 0 already in stories.jsonl, 0 failed"));
            assertEquals(out, onFx(() -> pane.recipe().storiesProperty().get()));
            assertEquals(new dev.llamascope.app.ui.settings.DataPrefs(server.baseUrl(), "canned", "", 3, 0),
                    onFx(() -> app.app().context().settings().data()), "the server is remembered for next time");

            // A longer prompt set from the same seed: the 12 stories already in the file are skipped.
            fx(() -> {
                t.promptsField().setPath(prompts16);
                t.start();
            });
            waitFor(t.task(), 60);
            assertEquals(16, server.calls());
            assertEquals(16, Files.readAllLines(out).size());
            assertTrue(onFx(() -> t.task().statusProperty().get()).startsWith("Done: 4 written, 12 already in stories.jsonl"),
                    onFx(() -> t.task().statusProperty().get()));
            assertEquals("16 / 16", text("#stat0"));

            // The server fails: each prompt is tried twice, the failures are one line, the file keeps what it had.
            Path prompts20 = dir.resolve("p20.jsonl");
            cli("prompts", "-n", "20", "--seed", "5", "-o", prompts20.toString());
            server.failing(true);
            fx(() -> {
                t.promptsField().setPath(prompts20);
                t.start();
            });
            waitFor(t.task(), 60);
            String error = onFx(() -> t.task().errorProperty().get());
            assertNotNull(error);
            assertTrue(error.startsWith("4 prompts failed; the first: en-5-0000") && error.contains("HTTP 500") && !error.contains("\n"), error);
            assertEquals(16 + 8, server.calls());
            assertEquals(16, Files.readAllLines(out).size());
            assertEquals("4 / 4", text("#stat3")); // four failed, each after one retry

            // Usable again: the server recovers, the four are written.
            server.failing(false);
            fx(t::start);
            waitFor(t.task(), 60);
            assertNull(onFx(() -> t.task().errorProperty().get()));
            assertEquals(20, Files.readAllLines(out).size());
        }
    }

    @Test
    void stopKeepsTheStoriesWrittenAndTheNextRunGoesOn() throws Exception {
        Path prompts = dir.resolve("p.jsonl"), out = dir.resolve("s.jsonl");
        cli("prompts", "-n", "30", "-o", prompts.toString());
        StoriesTab t = pane.stories();
        try (CannedStoryServer server = new CannedStoryServer(0)) {
            server.delay(150);
            fx(() -> {
                t.promptsField().setPath(prompts);
                t.outputField().setPath(out);
                t.useEndpoint(server.baseUrl(), "canned", null, 1, 1);
                t.start();
            });
            waitUntil(() -> t.stories().size() >= 3, 30);
            fx(t::stop);
            waitFor(t.task(), 30);
            int kept = Files.readAllLines(out).size();
            assertTrue(kept >= 3 && kept < 30, "kept " + kept);
            assertTrue(onFx(() -> t.task().statusProperty().get()).startsWith("Stopped: " + kept + " written"),
                    onFx(() -> t.task().statusProperty().get()));
            assertEquals(kept, server.calls(), "nothing was asked after the stop but what was written");
            server.delay(0);
            fx(t::start);
            waitFor(t.task(), 60);
            assertEquals(30, Files.readAllLines(out).size());
            assertEquals(30, server.calls());
            assertTrue(onFx(() -> t.task().statusProperty().get()).startsWith("Done: " + (30 - kept) + " written, " + kept + " already"));
        }
    }

    @Test
    void hierarchicalPromptsShowTheStoryNotThePlan() throws Exception {
        Path prompts = dir.resolve("zh.jsonl"), out = dir.resolve("zh-stories.jsonl");
        cli("prompts", "-n", "4", "--lang", "zh", "--hierarchical", "-o", prompts.toString());
        StoriesTab t = pane.stories();
        try (CannedStoryServer server = new CannedStoryServer(0)) {
            fx(() -> {
                t.promptsField().setPath(prompts);
                t.outputField().setPath(out);
                t.useEndpoint(server.baseUrl(), "canned", null, 2, 1);
                t.start();
            });
            waitFor(t.task(), 60);
            assertNull(onFx(() -> t.task().errorProperty().get()));
            assertEquals(8, server.calls(), "a plan and a story per prompt");
            List<String> lines = Files.readAllLines(out);
            assertEquals(4, lines.size());
            for (String l : lines) {
                Map<String, Object> rec = Json.parseObject(l);
                assertTrue(((String) rec.get("summary")).startsWith("小明找到了"), l);
                assertTrue(((String) rec.get("story")).startsWith("从前"), l);
            }
            for (StoriesTab.StoryLine shown : onFx(() -> List.copyOf(t.stories()))) {
                assertTrue(shown.story().startsWith("从前"), shown.story());
                assertFalse(shown.story().contains("概要"), shown.story());
            }
        }
    }

    @Test
    void storiesTabBadInputsGiveOneLine() throws Exception {
        Path prompts = dir.resolve("p.jsonl");
        cli("prompts", "-n", "2", "-o", prompts.toString());
        StoriesTab t = pane.stories();
        fx(() -> {
            t.promptsField().setPath(dir.resolve("missing.jsonl"));
            t.outputField().setPath(dir.resolve("s.jsonl"));
            t.useEndpoint("http://127.0.0.1:9/v1", "m", null, 1, 1);
            t.start();
        });
        waitFor(t.task(), 30);
        assertEquals(dir.resolve("missing.jsonl") + ": no such file", onFx(() -> t.task().errorProperty().get()));
        fx(() -> {
            t.promptsField().setPath(prompts);
            t.useEndpoint("ftp://example.com/v1", "m", null, 1, 1);
            t.start();
        });
        assertTrue(onFx(() -> t.task().errorProperty().get()).startsWith("the endpoint must be an http:// or https:// URL"));
        assertFalse(onFx(() -> t.task().isRunning()));
        fx(() -> {
            t.useEndpoint("http://exa mple/v1", "m", null, 1, 1);
            t.start();
        });
        assertEquals("The endpoint is not a URL: http://exa mple/v1", onFx(() -> t.task().errorProperty().get()));
        fx(() -> {
            t.useEndpoint("http://127.0.0.1:9/v1", "m", "sk-abc123", 1, 1);
            t.start();
        });
        assertTrue(onFx(() -> t.task().errorProperty().get()).contains("name of an environment variable"));
        fx(() -> {
            t.useEndpoint("http://127.0.0.1:9/v1", "m", "LLAMASCOPE_NO_SUCH_VARIABLE_42", 1, 1);
            t.start();
        });
        waitFor(t.task(), 30);
        assertTrue(onFx(() -> t.task().errorProperty().get()).contains("LLAMASCOPE_NO_SUCH_VARIABLE_42 is not set"));
        // Nobody listens on port 9: a connection error for each prompt, one line, and the pane is usable.
        fx(() -> {
            t.useEndpoint("http://127.0.0.1:9/v1", "m", null, 1, 1);
            t.start();
        });
        waitFor(t.task(), 60);
        String e = onFx(() -> t.task().errorProperty().get());
        assertTrue(e != null && e.contains("prompts failed") && !e.contains("\n"), e);
        assertFalse(onFx(() -> app.robot.lookup("#startStories").query().isDisabled()));
        // The loaded model, when there is none: one line.
        fx(() -> {
            t.useLoadedModel("{prompt}", 20);
            t.start();
        });
        assertEquals("No model is loaded: open one in Models, or use a server.", onFx(() -> t.task().errorProperty().get()));
    }

    @Test
    void storiesTabWritesWithTheLoadedModel() throws Exception {
        Path model = TestData.stories260K(), tok = TestData.tok512();
        app.load(model, tok);
        fx(() -> app.app().context().navigation().show(DataPane.ID));
        Path prompts = dir.resolve("p.jsonl"), out = dir.resolve("s.jsonl");
        cli("prompts", "-n", "3", "-o", prompts.toString());
        StoriesTab t = pane.stories();
        fx(() -> {
            t.promptsField().setPath(prompts);
            t.outputField().setPath(out);
            t.useLoadedModel("Once upon a time, there was a {adjective} {noun}.", 30);
            t.start();
        });
        waitFor(t.task(), 120);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        List<String> lines = Files.readAllLines(out);
        assertEquals(3, lines.size());
        assertEquals("stories260K.bin", Json.parseObject(lines.getFirst()).get("model"));
        assertEquals(3, onFx(() -> t.stories().size()));
        assertFalse(onFx(() -> t.stories().getFirst().story()).isBlank());
    }

    @Test
    void diversityChartsShowTheReportsNumbers() throws Exception {
        Path prompts = dir.resolve("p.jsonl"), stories = dir.resolve("s.jsonl");
        cli("prompts", "-n", "40", "--seed", "3", "-o", prompts.toString());
        // Stories with a few exact repeats, so there are near-duplicates to show.
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (String line : Files.readAllLines(prompts)) {
            StoryPrompt p = StoryPrompt.fromJson(Json.parseObject(line));
            String story = CannedStoryServer.story(i % 10 == 0 ? "same" : p.prompt());
            sb.append(Json.write(Map.of("id", p.id(), "story", story))).append('\n');
            i++;
        }
        Files.writeString(stories, sb.toString());
        DiversityTab t = pane.diversity();
        fx(() -> {
            pane.showStep("diversity");
            t.fileField().setPath(stories);
            t.analyze();
        });
        waitFor(t.task(), 60);
        assertNull(onFx(() -> t.task().errorProperty().get()));

        DiversityReport expected;
        try (ComputePool pool = new ComputePool(1)) {
            WordLists w = WordLists.load(AppAssets.source(), "en");
            expected = new DiversityAnalyzer(DiversityOptions.defaults(), pool).analyze(StoriesJsonReader.documents(stories),
                    new CoverageCounter(w.byName(), WordLists.loadForms(AppAssets.source(), "en")));
        }
        assertEquals(40, expected.documents());
        List<XYChart.Series<String, Number>> coverage = onFx(() -> List.copyOf(t.coverageChart().getData()));
        assertEquals(2, coverage.size());
        for (int c = 0; c < expected.coverage().categories().size(); c++) {
            var cat = expected.coverage().categories().get(c);
            int k = c;
            assertEquals(cat.listed(), onFx(() -> coverage.get(0).getData().get(k).getYValue()).intValue());
            assertEquals(cat.used(), onFx(() -> coverage.get(1).getData().get(k).getYValue()).intValue());
            assertTrue(onFx(() -> coverage.get(1).getData().get(k).getXValue()).startsWith(cat.name()));
        }
        var distinct = onFx(() -> List.copyOf(t.distinctChart().getData().getFirst().getData()));
        assertEquals(3, distinct.size());
        for (int n = 0; n < 3; n++) assertEquals(expected.distinct().get(n).ratio(), distinct.get(n).getYValue().doubleValue(), 0);
        var bins = onFx(() -> List.copyOf(t.lengthChart().getData().getFirst().getData()));
        assertEquals(expected.lengths().bins().size(), bins.size());
        for (int b = 0; b < bins.size(); b++) assertEquals(expected.lengths().bins().get(b).count(), bins.get(b).getYValue().longValue());
        assertTrue(expected.nearDuplicates().pairCount() >= 6, "the four copies make six pairs");
        assertEquals(expected.nearDuplicates().pairs().size(), onFx(() -> t.duplicateList().getItems().size()));
        var firstPair = onFx(() -> t.duplicateList().getItems().getFirst());
        assertEquals(expected.nearDuplicates().pairs().getFirst().first(), firstPair.first());
        assertTrue(text("#duplicatesSummary").startsWith(String.format(Locale.ROOT, "%,d pairs", expected.nearDuplicates().pairCount())));

        // A token file has no words: one line, and the charts keep the last report.
        Path u16 = dir.resolve("t.u16");
        Files.write(u16, new byte[]{1, 0, 5, 0});
        fx(() -> {
            t.fileField().setPath(u16);
            t.analyze();
        });
        waitFor(t.task(), 30);
        assertTrue(onFx(() -> t.task().errorProperty().get()).contains("holds token ids, not text"));
        assertEquals(3, onFx(() -> t.distinctChart().getData().getFirst().getData().size()));
    }

    @Test
    void tokenizerTabTrainsOnTheSampleAndShowsItsStatistics() throws Exception {
        Path text = TestData.file("data/tinystories-sample.txt");
        Path out = dir.resolve("tok");
        TokenizerTab t = pane.tokenizer();
        fx(() -> {
            pane.showStep("tokenizer");
            t.dataField().setPath(text);
            t.outputField().setPath(out);
            t.configure(512, true, "");
            t.setSentence("Lily and Tom went to the park.");
            t.train();
        });
        waitFor(t.task(), 120);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        Map<String, Object> report = Json.parseObject(Files.readString(out.resolve("training.json")));
        Map<?, ?> held = (Map<?, ?>) report.get("held_out");
        String tpc = String.format(Locale.ROOT, "%.4f", ((Number) held.get("tokens_per_character")).doubleValue());
        assertTrue(text("#tok-tokensPerChar").startsWith(tpc + " (held-out: "), text("#tok-tokensPerChar"));
        assertEquals(String.format(Locale.ROOT, "%.4f%%", 100 * ((Number) held.get("unknown_rate")).doubleValue()), text("#tok-unknown"));
        assertTrue(text("#tok-vocab").startsWith("512 tokens"));
        // The chips are the written tokenizer's pieces for the sentence.
        Tokenizer written = Llama2cTokenizer.read(out.resolve("tokenizer.bin"), 512);
        int[] ids = written.encode("Lily and Tom went to the park.", false, false);
        List<String> chips = onFx(() -> t.chips().getChildren().stream().map(n -> ((Label) n).getText()).toList());
        List<String> pieces = new ArrayList<>();
        for (int id : ids) pieces.add(written.pieceLabel(id).replace(' ', '▁'));
        assertEquals(pieces, chips);
        fx(t::useForDataset);
        assertEquals(out.resolve("tokenizer.bin"), onFx(() -> pane.recipe().tokenizerProperty().get()));
        assertEquals(out.resolve("tokenizer.bin"), onFx(() -> pane.dataset().tokenizerField().path()));

        // Too small a vocabulary, and a missing file: one line each.
        fx(() -> {
            t.configure(100, true, "");
            t.train();
        });
        waitFor(t.task(), 60);
        assertTrue(onFx(() -> t.task().errorProperty().get()).contains("vocabulary size 100 is too small"), onFx(() -> t.task().errorProperty().get()));
        fx(() -> {
            t.configure(512, true, "1.5");
            t.train();
        });
        assertTrue(onFx(() -> t.task().errorProperty().get()).startsWith("character coverage must be in (0, 1]"));
        fx(() -> {
            t.configure(512, true, "");
            t.dataField().setPath(dir.resolve("none.txt"));
            t.train();
        });
        waitFor(t.task(), 30);
        assertEquals(dir.resolve("none.txt") + ": no such file", onFx(() -> t.task().errorProperty().get()));
        assertTrue(text("#tok-vocab").startsWith("512 tokens"), "the last result stays");
    }

    @Test
    void datasetTabPreviewsAndHandsTheDatasetToTraining() throws Exception {
        Path text = TestData.file("data/tinystories-sample.txt"), tok = TestData.tok512();
        List<Object[]> handed = new ArrayList<>();
        fx(() -> app.app().context().links().setTrainingHandOff((data, format, tokenizer) -> handed.add(new Object[]{data, format, tokenizer})));
        DatasetTab t = pane.dataset();
        fx(() -> {
            pane.showStep("dataset");
            app.app().context().navigation().show("models");
            app.app().context().navigation().show(DataPane.ID);
            t.fileField().setPath(text);
            t.tokenizerField().setPath(tok);
            t.preview();
        });
        waitFor(t.task(), 60);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        DataPreview expected = DataPreview.of(text, DataFormat.AUTO, Llama2cTokenizer.read(tok, 512), 512, PromptTemplate.ALPACA, DatasetTab.PREVIEW_COUNT);
        DatasetLook look = onFx(t::look);
        assertEquals(DataFormat.TEXT, look.format());
        assertEquals(expected.tokens(), look.tokens());
        assertEquals(expected.trainedTokens(), look.trainedTokens());
        assertEquals(expected.items().getFirst().tokens(), look.items().getFirst().tokens());
        assertTrue(text("#datasetSummary").startsWith(String.format(Locale.ROOT, "text · %,d documents · %,d tokens", expected.units(), expected.tokens())));
        assertEquals("detected: text", text("#datasetDetected"));
        assertFalse(onFx(() -> t.trainButton().isDisabled()));
        fx(t::train);
        assertEquals(1, handed.size());
        assertEquals(text, handed.getFirst()[0]);
        assertEquals("text", handed.getFirst()[1]);
        assertEquals(tok, handed.getFirst()[2]);
        assertEquals("train", onFx(() -> app.app().context().navigation().current()));

        // An instruction dataset: the prompt part is drawn apart from the answer, and the counts are the template's.
        Path alpaca = dir.resolve("alpaca.json");
        Files.writeString(alpaca, "[{\"instruction\": \"Name a color.\", \"input\": \"\", \"output\": \"Red.\"},"
                + " {\"instruction\": \"Add the numbers.\", \"input\": \"2 and 3\", \"output\": \"5\"}]");
        fx(() -> {
            app.app().context().navigation().show(DataPane.ID);
            t.fileField().setPath(alpaca);
            t.preview();
        });
        waitFor(t.task(), 30);
        DatasetLook a = onFx(t::look);
        assertEquals(DataFormat.ALPACA, a.format());
        List<DatasetLook.Part> parts = a.items().getFirst().parts();
        assertEquals(new DatasetLook.Part("### Instruction:\nName a color.\n\n### Response:\n", false), parts.get(0));
        assertEquals(new DatasetLook.Part("Red.", true), parts.get(1));
        DataPreview ea = DataPreview.of(alpaca, DataFormat.ALPACA, Llama2cTokenizer.read(tok, 512), 512, PromptTemplate.ALPACA, 5);
        assertEquals(ea.items().get(1).trainedTokens(), a.items().get(1).trainedTokens());
        assertFalse(app.robot.lookup(".example-prompt").queryAll().isEmpty());
        fx(t::train);
        assertEquals("alpaca", handed.get(1)[1]);

        // A missing file and no tokenizer: one line each, the last preview stays.
        fx(() -> {
            t.fileField().setPath(dir.resolve("nope.jsonl"));
            t.preview();
        });
        waitFor(t.task(), 30);
        assertEquals(dir.resolve("nope.jsonl") + ": no such file", onFx(() -> t.task().errorProperty().get()));
        fx(() -> {
            t.fileField().setPath(text);
            t.tokenizerField().setPath(null);
            t.preview();
        });
        waitFor(t.task(), 30);
        assertTrue(onFx(() -> t.task().errorProperty().get()).startsWith("Counting tokens needs a tokenizer"));
        assertEquals(2, onFx(() -> t.previewList().getItems().size()));
    }

    /** The Dataset step with a file and a tokenizer, previewed, and the preview finished. */
    private void previewDataset(DatasetTab t, Path text, Path tok) {
        fx(() -> {
            pane.showStep("dataset");
            t.fileField().setPath(text);
            t.tokenizerField().setPath(tok);
            t.preview();
        });
        waitFor(t.task(), 60);
    }

    @Test
    void trainAModelOnThisFillsTheTrainPane() throws Exception {
        Path text = TestData.file("data/tinystories-sample.txt"), tok = TestData.tok512();
        DatasetTab t = pane.dataset();
        assertTrue(onFx(() -> app.app().context().links().canTrain()), "the Train pane registers its hand-off");
        assertTrue(onFx(() -> t.trainButton().isDisabled()), "nothing to hand over yet");
        previewDataset(t, text, tok);
        app.robot.clickOn("#trainOnThis");
        waitUntil(() -> "train".equals(app.app().context().navigation().current()), 10);
        var form = onFx(() -> app.app().window().pane(dev.llamascope.app.ui.train.TrainAppPane.ID,
                dev.llamascope.app.ui.train.TrainAppPane.class).controller().form());
        assertEquals(text, onFx(() -> form.dataProperty().get()));
        assertEquals(DataFormat.TEXT, onFx(() -> form.formatProperty().get()));
        assertEquals(tok, onFx(() -> form.tokenizerProperty().get()));
    }

    @Test
    void datasetTabConvertsSplitsAndPretokenizes() throws Exception {
        Path tok = TestData.tok512();
        Path text = Files.copy(TestData.file("data/tinystories-sample.txt"), dir.resolve("sample.txt"));
        List<Object[]> handed = new ArrayList<>();
        fx(() -> app.app().context().links().setTrainingHandOff((data, format, tokenizer) -> handed.add(new Object[]{data, format, tokenizer})));
        DatasetTab t = pane.dataset();
        previewDataset(t, text, tok);

        // Pretokenize: the same bytes as the engine's pretokenizer, and the .u16 is what training gets.
        fx(t::pretokenize);
        waitFor(t.task(), 120);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        Path u16 = dir.resolve("sample.u16");
        Path reference = dir.resolve("reference");
        Pretokenizer.pretokenize(text, DataFormat.AUTO, Llama2cTokenizer.read(tok, 512), null, reference, 0, PrepProgress.NONE);
        assertArrayEquals(Files.readAllBytes(dir.resolve("reference.u16")), Files.readAllBytes(u16));
        assertTrue(onFx(() -> t.task().statusProperty().get()).startsWith(String.format(Locale.ROOT, "Wrote %,d tokens of 1,273 documents to sample.u16",
                Files.size(u16) / 2)), onFx(() -> t.task().statusProperty().get()));
        assertEquals(new DatasetTab.HandOff(u16, DataFormat.TOKENS, tok), onFx(t::handOff));

        // Split: every line lands in train or eval, 5% held out.
        fx(t::split);
        waitFor(t.task(), 60);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        List<String> train = Files.readAllLines(dir.resolve("sample.train.txt")), eval = Files.readAllLines(dir.resolve("sample.eval.txt"));
        assertEquals(1273, train.size() + eval.size());
        assertEquals(Math.round(1273 * 0.05), eval.size());
        assertEquals(new DatasetTab.HandOff(dir.resolve("sample.train.txt"), DataFormat.TEXT, tok), onFx(t::handOff));

        // Convert text to TinyStories JSONL: the stories come back as they were.
        fx(() -> t.convertTo(DataFormat.JSONL));
        waitFor(t.task(), 60);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        Path jsonl = dir.resolve("sample.jsonl");
        // (JSON stories are read stripped, text lines as they are)
        assertEquals(dev.llamascope.engine.data.TextReader.documents(text).stream().map(String::strip).toList(), StoriesJsonReader.documents(jsonl));
        fx(t::train);
        assertEquals(jsonl, handed.getLast()[0]);
        assertEquals("jsonl", handed.getLast()[1]);

        // A token file is not converted or tokenized again; instruction data converts only to instruction formats.
        fx(() -> {
            app.app().context().navigation().show(DataPane.ID);
            t.fileField().setPath(u16);
            t.preview();
        });
        waitFor(t.task(), 60);
        assertEquals(DataFormat.TOKENS, onFx(() -> t.look().format()));
        assertTrue(onFx(() -> app.robot.lookup("#pretokenizeDataset").query().isDisabled()));
        assertTrue(onFx(() -> app.robot.lookup("#convertDataset").query().isDisabled()));
        assertFalse(onFx(() -> app.robot.lookup("#splitDataset").query().isDisabled()));
        Path alpaca = dir.resolve("a.json");
        Files.writeString(alpaca, "[{\"instruction\": \"Name a color.\", \"input\": \"\", \"output\": \"Red.\"}]");
        fx(() -> {
            t.fileField().setPath(alpaca);
            t.preview();
        });
        waitFor(t.task(), 60);
        fx(() -> t.convertTo(DataFormat.TEXT));
        assertEquals("alpaca data does not convert to text.", onFx(() -> t.task().errorProperty().get()));
        fx(() -> t.convertTo(DataFormat.SHAREGPT));
        waitFor(t.task(), 60);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        assertTrue(Files.readString(dir.resolve("a.sharegpt.jsonl")).contains("Name a color."));
        assertEquals(new DatasetTab.HandOff(dir.resolve("a.sharegpt.jsonl"), DataFormat.SHAREGPT, tok), onFx(t::handOff));
        // Into a folder of its own (the data may sit where nothing can be written): instruction data pretokenized
        // with its template, and the note that a token file has no loss mask.
        fx(() -> {
            t.outputField().setPath(dir.resolve("prepared"));
            t.pretokenize();
        });
        waitFor(t.task(), 60);
        assertNull(onFx(() -> t.task().errorProperty().get()));
        assertTrue(Files.size(dir.resolve("prepared").resolve("a.u16")) > 10);
        assertTrue(onFx(() -> t.task().statusProperty().get()).contains("no loss mask"), onFx(() -> t.task().statusProperty().get()));
    }

    private String text(String id) {
        return onFx(() -> ((Label) app.robot.lookup(id).query()).getText());
    }
}
