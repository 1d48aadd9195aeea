package dev.llamascope.engine.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Documents of a plain-text file: separated by {@code <|endoftext|>} where the file has that marker (TinyStories'
 * raw .txt releases; each document stripped), else one per non-blank line, taken as it is (a leading space included) —
 * exactly what was encoded into {@code tinystories-sample.tok512.u16}, so the text and the token file train the same.
 */
public final class TextReader {
    public static final String END_OF_TEXT = "<|endoftext|>";

    private TextReader() {}

    public static List<String> documents(Path file) throws IOException {
        String text = JsonRecords.readText(file);
        List<String> docs = new ArrayList<>();
        if (text.contains(END_OF_TEXT)) {
            for (String d : text.split(java.util.regex.Pattern.quote(END_OF_TEXT))) {
                String s = d.strip();
                if (!s.isEmpty()) docs.add(s);
            }
        } else {
            for (String line : text.split("\r?\n")) {
                if (!line.isBlank()) docs.add(line);
            }
        }
        if (docs.isEmpty()) throw new DataFormatException(file, "has no text");
        return docs;
    }
}
