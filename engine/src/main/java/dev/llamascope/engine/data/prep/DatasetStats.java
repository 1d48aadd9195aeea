package dev.llamascope.engine.data.prep;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.DataPreview;
import dev.llamascope.engine.data.PromptTemplate;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.data.TextReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A look at a dataset without a tokenizer: how many records, how long (in characters of the text the model would
 * see: documents as they are, conversations rendered by the prompt template), how many conversations have more than
 * one exchange, and the first few records as text. With a tokenizer, {@link DataPreview} counts tokens instead.
 *
 * @param records    documents or conversations
 * @param characters of all records' text
 * @param shortest   characters of the shortest record
 * @param longest    characters of the longest record
 * @param multiTurn  conversations with more than one user message (0 for documents)
 * @param samples    the first records' text (conversations rendered, answers followed by "&lt;/s&gt;")
 */
public record DatasetStats(DataFormat format, long records, long characters, long shortest, long longest, long multiTurn, List<String> samples) {

    public DatasetStats {
        samples = List.copyOf(samples);
    }

    /**
     * @param format   the file's format or {@link DataFormat#AUTO}; token files need a tokenizer ({@link DataPreview})
     * @param template renders conversations (null: {@link PromptTemplate#ALPACA})
     * @param count    how many records to keep as samples
     */
    public static DatasetStats of(Path file, DataFormat format, PromptTemplate template, int count) throws IOException {
        DataFormat f = Inputs.check(file, format);
        if (f == DataFormat.TOKENS)
            throw new DataFormatException(file, "is a token file: its text can be shown only with its tokenizer (pass -z TOKENIZER)");
        if (template == null) template = PromptTemplate.ALPACA;
        List<String> texts = new ArrayList<>();
        long multi = 0;
        if (f.conversational()) {
            for (Conversation c : ConversationReader.of(f).read(file)) {
                texts.add(template.render(c));
                if (c.messages().stream().filter(m -> m.role() == Conversation.Role.USER).count() > 1) multi++;
            }
        } else {
            texts = f == DataFormat.TEXT ? TextReader.documents(file) : StoriesJsonReader.documents(file);
        }
        long chars = 0, min = Long.MAX_VALUE, max = 0;
        for (String t : texts) {
            long n = t.codePointCount(0, t.length());
            chars += n;
            min = Math.min(min, n);
            max = Math.max(max, n);
        }
        return new DatasetStats(f, texts.size(), chars, texts.isEmpty() ? 0 : min, max, multi,
                texts.subList(0, Math.min(Math.max(0, count), texts.size())));
    }
}
