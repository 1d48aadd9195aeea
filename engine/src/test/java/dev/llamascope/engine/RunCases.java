package dev.llamascope.engine;

import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.tensor.ComputePool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/** The run.c reference cases of ../shared/reference/runc/CASES.tsv, and generation printed as run.c prints it. */
public final class RunCases {
    private RunCases() {}

    /** One row of CASES.tsv; paths relative to the shared folder. */
    public record Case(String name, String program, String model, String tokenizer, float temperature, float topP,
                       long seed, int steps, String prompt, String expectedFile) {
        public String expected() throws IOException {
            return Files.readString(SharedData.file("reference/runc/" + expectedFile), StandardCharsets.UTF_8);
        }
    }

    public static List<Case> all() throws IOException {
        List<Case> r = new ArrayList<>();
        List<String> lines = Files.readAllLines(SharedData.file("reference/runc/CASES.tsv"), StandardCharsets.UTF_8);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            r.add(new Case(f[0], f[1], f[2], f[3], Float.parseFloat(f[4]), Float.parseFloat(f[5]), Long.parseLong(f[6]),
                    Integer.parseInt(f[7]), f[8], f[9]));
        }
        return r;
    }

    /** The cases run.c (fp32) ran on the stories260K v0 file. */
    public static List<Case> stories260KRunC() throws IOException {
        return all().stream().filter(c -> c.program().equals("run") && c.model().endsWith("stories260K/stories260K.bin")).toList();
    }

    /**
     * What run.c prints for a generation: the prompt and story pieces, then a newline. Like run.c's safe_printf, a
     * piece that is a single byte other than printable ASCII or white space is dropped (so characters made of byte
     * tokens vanish, as in the reference files).
     */
    public static String generate(LoadedModel lm, String prompt, int steps, float temperature, float topP, long seed) {
        return new String(generateBytes(lm, prompt, steps, temperature, topP, seed, true, false), StandardCharsets.UTF_8);
    }

    /** The bytes printed for a generation, with run.c's filter or every byte (as llama.cpp prints). */
    public static byte[] generateBytes(LoadedModel lm, String prompt, int steps, float temperature, float topP, long seed,
                                       boolean runCFilter, boolean halfPrecisionAttention) {
        try (ComputePool pool = new ComputePool(2)) {
            Transformer t = new Transformer(lm.model(), pool);
            t.setHalfPrecisionAttention(halfPrecisionAttention);
            Generator gen = new Generator(t, lm.tokenizer());
            int[] tokens = lm.tokenizer().encode(prompt, true, false);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            gen.generate(tokens, steps, new SamplerSettings(temperature, topP, 0, 0f, 1f, 64, seed), false,
                    (pos, token, piece, logits) -> {
                        if (!runCFilter || !droppedByRunC(piece)) out.writeBytes(piece);
                    }, () -> false);
            out.write('\n');
            return out.toByteArray();
        }
    }

    public static String generate(LoadedModel lm, Case c) {
        return generate(lm, c.prompt(), c.steps(), c.temperature(), c.topP(), c.seed());
    }

    /** run.c's safe_printf: a single byte is printed only when isprint or isspace. */
    static boolean droppedByRunC(byte[] piece) {
        if (piece.length != 1) return false;
        int b = piece[0] & 0xff;
        return !((b >= 0x20 && b < 0x7f) || b == ' ' || (b >= '\t' && b <= '\r'));
    }
}
