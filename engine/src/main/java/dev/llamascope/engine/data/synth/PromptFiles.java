package dev.llamascope.engine.data.synth;

import dev.llamascope.engine.model.ModelFormatException;
import dev.llamascope.engine.util.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads a prompt set written by {@link PromptBuilder#write}, checking that ids are unique. */
public final class PromptFiles {
    private PromptFiles() {}

    public static List<StoryPrompt> read(Path file) throws IOException, ModelFormatException {
        List<StoryPrompt> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int n = 0;
            for (String line; (line = r.readLine()) != null; ) {
                n++;
                if (line.isBlank()) continue;
                StoryPrompt p;
                try {
                    p = StoryPrompt.fromJson(Json.parseObject(line));
                } catch (RuntimeException e) {
                    throw new ModelFormatException(file, "line " + n + " is not a prompt record: " + e.getMessage());
                }
                if (!ids.add(p.id())) throw new ModelFormatException(file, "line " + n + " repeats the id " + p.id());
                out.add(p);
            }
        }
        return out;
    }
}
