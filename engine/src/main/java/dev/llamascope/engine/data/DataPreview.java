package dev.llamascope.engine.data;

import dev.llamascope.engine.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a data file will train on, for a UI to show before training starts: the detected format, how much there is,
 * and the first few examples as the model will see them (conversations rendered through the prompt template, token
 * files decoded), each with its token count and how many of those tokens count in the loss.
 *
 * @param units         documents (text formats), conversations, or BOS-separated documents (token files)
 * @param tokens        tokens in the whole file
 * @param trainedTokens of those, the ones the loss counts (all but each document's first for plain text)
 */
public record DataPreview(DataFormat format, int units, long tokens, long trainedTokens, List<Item> items) {

    /**
     * One example: its text (answers followed by "&lt;/s&gt;" for conversations), tokens, trained tokens, and the text
     * in pieces that say which part the loss counts (a conversation's prompts are masked, its answers trained; a
     * document is one trained piece), so a preview can show the prompt apart from what is learned.
     */
    public record Item(String text, int tokens, int trainedTokens, List<PromptTemplate.Segment> segments) {
        public Item {
            segments = segments == null ? List.of(new PromptTemplate.Segment(text, true)) : List.copyOf(segments);
        }

        /** A document: all of it is trained. */
        public Item(String text, int tokens, int trainedTokens) {
            this(text, tokens, trainedTokens, null);
        }
    }

    /** A template's segments as {@link PromptTemplate#render} shows them: each answer followed by "&lt;/s&gt;". */
    private static List<PromptTemplate.Segment> withEos(List<PromptTemplate.Segment> segments) {
        List<PromptTemplate.Segment> out = new ArrayList<>(segments.size());
        for (PromptTemplate.Segment s : segments) out.add(s.trained() ? new PromptTemplate.Segment(s.text() + "</s>", true) : s);
        return out;
    }

    public static DataPreview of(Path file, DataFormat format, Tokenizer tok, int vocabSize, PromptTemplate template, int count)
            throws IOException {
        DataFormat f = format == DataFormat.AUTO ? Datasets.detect(file) : format;
        List<Item> items = new ArrayList<>();
        if (f.conversational()) {
            if (tok == null) throw new IllegalArgumentException(file + ": a preview of " + f.cliName() + " data needs a tokenizer");
            List<Conversation> convs = ConversationReader.of(f).read(file);
            long tokens = 0, trained = 0;
            for (int i = 0; i < convs.size(); i++) {
                Example e = template.encode(convs.get(i), tok);
                tokens += e.length();
                trained += e.trainedTokens();
                if (i < count) items.add(new Item(template.render(convs.get(i)), e.length(), e.trainedTokens(), withEos(template.segments(convs.get(i)))));
            }
            return new DataPreview(f, convs.size(), tokens, trained, items);
        }
        if (f == DataFormat.TOKENS) {
            int[] t = TokenFileReader.read(file, vocabSize);
            int bos = tok == null ? 1 : tok.bos();
            List<int[]> docs = new ArrayList<>();
            int start = 0, units = 0;
            for (int i = 1; i <= t.length; i++) {
                if (i == t.length || t[i] == bos) {
                    units++;
                    if (docs.size() < count) docs.add(java.util.Arrays.copyOfRange(t, start, i));
                    start = i;
                }
            }
            for (int[] d : docs) items.add(new Item(tok == null ? "" : tok.decode(d), d.length, d.length - 1));
            return new DataPreview(f, units, t.length, t.length - units, items);
        }
        if (tok == null) throw new IllegalArgumentException(file + ": a preview of " + f.cliName() + " data needs a tokenizer");
        List<String> docs = f == DataFormat.TEXT ? TextReader.documents(file) : StoriesJsonReader.documents(file);
        long tokens = 0;
        for (int i = 0; i < docs.size(); i++) {
            int n = tok.encode(docs.get(i), true, false).length;
            tokens += n;
            if (i < count) items.add(new Item(docs.get(i), n, n - 1));
        }
        return new DataPreview(f, docs.size(), tokens, tokens - docs.size(), items);
    }
}
