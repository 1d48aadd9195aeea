package dev.llamascope.app.ui.data;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.ConversationReader;
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

    /** A piece of an example's text and whether the loss counts it. */
    record Part(String text, boolean trained) {}

    /** One example: its parts and counts. */
    record Shown(List<Part> parts, int tokens, int trainedTokens) {}

    static DatasetLook of(Path file, DataFormat chosen, Tokenizer tok, PromptTemplate template, int count) throws IOException {
        DataFormat f = chosen == DataFormat.AUTO ? Datasets.detect(file) : chosen;
        if (tok == null)
            throw new IllegalArgumentException("Counting tokens needs a tokenizer: load a model, or train one in step 4, or choose a tokenizer file.");
        DataPreview p = DataPreview.of(file, f, tok, tok.size(), template, count);
        List<Shown> items = new ArrayList<>();
        if (f.conversational()) {
            List<Conversation> convs = ConversationReader.of(f).read(file);
            for (int i = 0; i < p.items().size(); i++) {
                List<Part> parts = new ArrayList<>();
                for (PromptTemplate.Segment s : template.segments(convs.get(i))) {
                    parts.add(new Part(s.text(), s.trained()));
                    if (s.trained()) parts.add(new Part("</s>", true));
                }
                DataPreview.Item it = p.items().get(i);
                items.add(new Shown(parts, it.tokens(), it.trainedTokens()));
            }
        } else {
            for (DataPreview.Item it : p.items()) items.add(new Shown(List.of(new Part(it.text(), true)), it.tokens(), it.trainedTokens()));
        }
        return new DatasetLook(file, f, p.units(), p.tokens(), p.trainedTokens(), List.copyOf(items));
    }
}
