package dev.llamascope.app.ui.data;

import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataPreview;
import dev.llamascope.engine.data.Datasets;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A data file as the trainer will see it, for the dataset step's preview (no JavaFX): the engine's
 * {@link DataPreview} (format, counts, the first examples with their token and trained-token counts), with each
 * conversation split into its prompt parts (masked out of the loss) and answer parts (trained), so the two can be
 * drawn apart.
 *
 * @param format the format used (the detected one when AUTO was asked)
 */
record DatasetLook(Path file, DataFormat format, int units, long tokens, long trainedTokens, List<Shown> items) {

    private static final String EOS = "</s>";

    /** A piece of an example's text and whether the loss counts it. */
    record Part(String text, boolean trained) {}

    /** One example: its parts and counts. */
    record Shown(List<Part> parts, int tokens, int trainedTokens) {}

    static DatasetLook of(Path file, DataFormat chosen, Tokenizer tok, PromptTemplate template, int count) throws IOException {
        DataFormat f = chosen == DataFormat.AUTO ? Datasets.detect(file) : chosen;
        if (tok == null)
            throw new IllegalArgumentException("Counting tokens needs a tokenizer: load a model, or train one in step 4, or choose a tokenizer file.");
        DataPreview p = DataPreview.of(file, f, tok, tok.size(), template, count);
        // The preview's items already carry each example's prompt and answer segments (answers end in "</s>"), so
        // the file is not read again; the end-of-answer mark is shown as a part of its own.
        List<Shown> items = new ArrayList<>();
        for (DataPreview.Item it : p.items()) {
            List<Part> parts = new ArrayList<>();
            for (PromptTemplate.Segment s : it.segments()) {
                boolean eos = f.conversational() && s.trained() && s.text().endsWith(EOS);
                parts.add(new Part(eos ? s.text().substring(0, s.text().length() - EOS.length()) : s.text(), s.trained()));
                if (eos) parts.add(new Part(EOS, true));
            }
            items.add(new Shown(parts, it.tokens(), it.trainedTokens()));
        }
        return new DatasetLook(file, f, p.units(), p.tokens(), p.trainedTokens(), List.copyOf(items));
    }
}
