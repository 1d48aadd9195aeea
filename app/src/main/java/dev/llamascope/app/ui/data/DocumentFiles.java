package dev.llamascope.app.ui.data;

import dev.llamascope.engine.data.Conversation;
import dev.llamascope.engine.data.ConversationReader;
import dev.llamascope.engine.data.DataFormat;
import dev.llamascope.engine.data.DataFormatException;
import dev.llamascope.engine.data.Datasets;
import dev.llamascope.engine.data.StoriesJsonReader;
import dev.llamascope.engine.data.TextReader;
import dev.llamascope.engine.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a data file, for the steps that look at words (diversity) or characters (tokenizer training), read
 * by the engine's dataset readers: plain text one document per line (or split at {@code <|endoftext|>}), stories
 * JSON/JSONL by their "story"/"text"/"content" field, instruction datasets by their answers. No JavaFX.
 */
final class DocumentFiles {
    private DocumentFiles() {}

    static List<String> read(Path file) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such file");
        if (Files.isDirectory(file)) throw new DataFormatException(file, "is a folder, not a data file");
        DataFormat f = Datasets.detect(file);
        return switch (f) {
            case TEXT -> TextReader.documents(file);
            case JSONL -> StoriesJsonReader.documents(file);
            case TOKENS -> throw new DataFormatException(file, "holds token ids, not text: choose the text or JSONL it was made from");
            default -> {
                List<String> docs = new ArrayList<>();
                for (Conversation c : ConversationReader.of(f).read(file)) {
                    StringBuilder sb = new StringBuilder();
                    for (Conversation.Message m : c.messages())
                        if (m.role() == Conversation.Role.ASSISTANT) sb.append(sb.isEmpty() ? "" : "\n").append(m.text());
                    if (!sb.isEmpty()) docs.add(sb.toString());
                }
                yield docs;
            }
        };
    }

    /**
     * A text file the tokenizer trainer can read (one document per line): the file itself when it is plain text,
     * else its documents, line breaks inside one folded to spaces, written to {@code scratch}.
     */
    static Path asTextLines(Path file, Path scratch) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such file");
        if (Datasets.detect(file) == DataFormat.TEXT) return file; // lines are what the trainer counts anyway
        List<String> docs = read(file);
        StringBuilder sb = new StringBuilder();
        for (String d : docs) sb.append(d.replace("\r", "").replace('\n', ' ')).append('\n');
        AtomicFiles.writeString(scratch, sb.toString());
        return scratch;
    }
}
