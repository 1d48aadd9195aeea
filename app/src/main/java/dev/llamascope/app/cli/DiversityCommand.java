package dev.llamascope.app.cli;

import dev.llamascope.engine.data.diversity.CoverageCounter;
import dev.llamascope.engine.data.diversity.DiversityAnalyzer;
import dev.llamascope.engine.data.diversity.DiversityOptions;
import dev.llamascope.engine.data.diversity.DiversityReport;
import dev.llamascope.engine.data.synth.AssetSource;
import dev.llamascope.engine.data.synth.WordLists;
import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.util.AtomicFiles;
import dev.llamascope.engine.util.Json;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code diversity}: how varied a set of stories is. Reads a JSONL file (one record per line, the text in
 * {@code --field}) or a text file (one document per non-empty line).
 */
public final class DiversityCommand implements Command {
    @Override
    public String name() {
        return "diversity";
    }

    @Override
    public String summary() {
        return "word-list coverage, distinct n-grams, near-duplicates and lengths of a story set";
    }

    @Override
    public String usage() {
        return "llamascope diversity FILE(.jsonl|.txt) [--field story] [--lang en|zh|none] [--threshold J=0.7] [--shingle W=5]"
                + " [--json OUT.json] [--threads N]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("--field", "--lang", "--threshold", "--shingle", "--json", "--threads"), List.of("-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        Path file = Path.of(a.positional(0, "FILE"));
        a.maxPositional(1);
        String field = a.string("--field", "story");
        List<String> docs = read(file, field);
        String lang = a.string("--lang", "en");
        DiversityOptions d = DiversityOptions.defaults();
        DiversityOptions options;
        try {
            options = new DiversityOptions(a.integer("--shingle", d.shingleWords()), d.hashes(), d.bands(),
                    a.number("--threshold", (float) d.threshold()), d.maxPairs(), d.histogramBins(), d.topWords());
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException(e.getMessage());
        }
        CoverageCounter coverage = null;
        if (!lang.equals("none")) {
            AssetSource assets = AppAssets.source();
            WordLists w = WordLists.load(assets, lang);
            coverage = new CoverageCounter(w.byName(), WordLists.loadForms(assets, lang));
        }
        DiversityReport r;
        try (ComputePool pool = new ComputePool(a.integer("--threads", ComputePool.defaultThreads()))) {
            r = new DiversityAnalyzer(options, pool).analyze(docs, coverage);
        }
        var out = Cli.utf8Stdout();
        out.print(r.summary());
        out.flush();
        Path json = a.path("--json");
        if (json != null) {
            AtomicFiles.writeString(json, Json.write(r.toJson()) + "\n");
            System.err.println("wrote " + json);
        }
        return 0;
    }

    static List<String> read(Path file, String field) throws Exception {
        List<String> docs = new ArrayList<>();
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) { // one JSON array of records
            Object all;
            try {
                all = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new ModelFormatException(file, "is not JSON (" + e.getMessage() + ")");
            }
            if (!(all instanceof List<?> list)) throw new ModelFormatException(file, "should hold a JSON array of records");
            for (Object o : list) {
                if (!(o instanceof Map<?, ?> m) || !(m.get(field) instanceof String s))
                    throw new ModelFormatException(file, "record " + (docs.size() + 1) + " has no text field '" + field + "' (use --field)");
                docs.add(s);
            }
            if (docs.isEmpty()) throw new ModelFormatException(file, "has no documents");
            return docs;
        }
        boolean jsonl = name.endsWith(".jsonl");
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (line.isBlank()) continue;
                if (!jsonl) {
                    docs.add(line);
                    continue;
                }
                Map<String, Object> rec;
                try {
                    rec = Json.parseObject(line);
                } catch (RuntimeException e) {
                    throw new ModelFormatException(file, "line " + n + " is not a JSON record (" + e.getMessage() + ")");
                }
                Object v = rec.get(field);
                if (!(v instanceof String s))
                    throw new ModelFormatException(file, "line " + n + " has no text field '" + field + "' (use --field)");
                docs.add(s);
            }
        }
        if (docs.isEmpty()) throw new ModelFormatException(file, "has no documents");
        return docs;
    }
}
