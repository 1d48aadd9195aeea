package dev.llamascope.app.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.Llama2cCheckpoint;
import dev.llamascope.engine.model.LlamaModel;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code llamascope train} end to end: the golden fine-tune, resuming, and the errors a user can cause. */
class TrainCommandTest {
    @TempDir
    Path tmp;

    /** ../shared/ (or LLAMASCOPE_SHARED / -Dllamascope.shared); skips the test when the file is absent. */
    static Path shared(String relative) {
        String env = System.getenv("LLAMASCOPE_SHARED"), prop = System.getProperty("llamascope.shared");
        Path root = env != null && !env.isBlank() ? Path.of(env) : prop != null && !prop.isBlank() ? Path.of(prop) : Path.of("..", "shared");
        Path p = root.resolve(relative);
        assumeTrue(Files.exists(p), "test data " + p + " is absent (set LLAMASCOPE_SHARED); skipping");
        return p;
    }

    record Run(int code, String out, String err) {
        List<Map<String, Object>> json() {
            List<Map<String, Object>> l = new ArrayList<>();
            for (String line : out.split("\n")) if (!line.isBlank()) l.add(Json.parseObject(line));
            return l;
        }
    }

    static Run train(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8), e = new PrintStream(err, true, StandardCharsets.UTF_8);
        String[] all = new String[args.length + 1];
        all[0] = "train";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = new Cli(List.of(new TrainCommand(o, e)), e).run(all);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** ../shared/golden/stories260K-finetune: every step's loss and grad norm, step-0 gradients, final weights. */
    @Test
    void reproducesTheGoldenFineTune() throws Exception {
        Path dir = shared("golden/stories260K-finetune");
        Map<String, Object> golden = Json.parseObject(Files.readString(dir.resolve("golden.json")));
        @SuppressWarnings("unchecked") Map<String, Object> h = (Map<String, Object>) golden.get("hyper");
        @SuppressWarnings("unchecked") List<Map<String, Object>> log = (List<Map<String, Object>>) golden.get("log");
        Path grads = tmp.resolve("grads0.bin"), out = tmp.resolve("final.bin");
        Run r = train("--init", shared("models/stories260K/stories260K.bin").toString(),
                "--data", shared("data/tinystories-sample.tok512.u16").toString(),
                "--batch", str(h, "batch"), "--seq", str(h, "seq"), "--steps", str(h, "steps"), "--lr", str(h, "lr"),
                "--lr-schedule", str(h, "lr_schedule"), "--weight-decay", str(h, "weight_decay"), "--beta1", str(h, "beta1"),
                "--beta2", str(h, "beta2"), "--eps", str(h, "eps"), "--grad-clip", str(h, "grad_clip"), "--dropout", str(h, "dropout"),
                "--order", str(h, "order"), "--threads", "2", "--log-json", "--dump-grads-step0", grads.toString(), "--save", out.toString());
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> steps = r.json();
        assertEquals(log.size(), steps.size(), r.out());
        for (int i = 0; i < log.size(); i++) {
            Map<String, Object> g = log.get(i), s = steps.get(i);
            assertEquals(Json.integer(g, "step", -1), Json.integer(s, "step", -2));
            double gl = Json.number(g, "loss", 0), gn = Json.number(g, "grad_norm", 0);
            assertEquals(gl, Json.number(s, "loss", 0), 2e-4, "loss of step " + (i + 1));
            assertEquals(gn, Json.number(s, "grad_norm", 0), 1e-3 * gn, "grad norm of step " + (i + 1));
            assertEquals(Json.number(h, "lr", 0), Json.number(s, "lr", 0), 1e-12);
            assertEquals(256L * (i + 1), Json.integer(s, "tokens", 0));
            assertTrue(Json.number(s, "tok_per_s", 0) > 0);
        }
        compare("step-0 gradients", grads, dir.resolve("grads_step0.bin"));
        compare("final weights", out, dir.resolve("weights_final.bin"));
    }

    /** Each tensor within 1e-4 of its largest magnitude. */
    static void compare(String what, Path ours, Path golden) throws Exception {
        FlatWeights a, b;
        try (LlamaModel m = Llama2cCheckpoint.read(ours)) {
            a = FlatWeights.of(m);
        }
        try (LlamaModel m = Llama2cCheckpoint.read(golden)) {
            b = FlatWeights.of(m);
        }
        assertEquals(b.config(), a.config());
        for (FlatWeights.Kind k : FlatWeights.Kind.values()) {
            for (int l = 0; l < a.count(k); l++) {
                int o = a.offset(k, l), n = a.numel(k);
                double max = 0, diff = 0;
                for (int i = 0; i < n; i++) {
                    max = Math.max(max, Math.abs(b.data()[o + i]));
                    diff = Math.max(diff, Math.abs(a.data()[o + i] - b.data()[o + i]));
                }
                assertTrue(diff <= 1e-4 * max, String.format(Locale.ROOT, "%s %s[%d]: max difference %.3e of the tensor's max %.3e",
                        what, k, l, diff / max, max));
            }
        }
    }

    /** 3 steps, saved, resumed to 6: the same log and weights as 6 steps at once (constant lr, so the schedule agrees). */
    @Test
    void resumeContinuesTheRun() throws Exception {
        String init = shared("models/stories260K/stories260K.bin").toString();
        String data = shared("data/tinystories-sample.tok512.u16").toString();
        String[] common = {"--data", data, "--batch", "2", "--seq", "32", "--lr", "1e-3", "--dropout", "0.1", "--order", "shuffle",
                "--seed", "7", "--accum", "2", "--threads", "2", "--log-json"};
        Run full = train(concat(common, "--init", init, "--steps", "6", "--save", tmp.resolve("full.bin").toString()));
        assertEquals(0, full.code(), full.err());
        Run first = train(concat(common, "--init", init, "--steps", "3", "--save", tmp.resolve("half.bin").toString()));
        assertEquals(0, first.code(), first.err());
        assertTrue(Files.isDirectory(tmp.resolve("half.state")), "the state folder beside the model");
        Run second = train(concat(common, "--resume", tmp.resolve("half.state").toString(), "--steps", "6",
                "--save", tmp.resolve("resumed.bin").toString()));
        assertEquals(0, second.code(), second.err());
        assertTrue(second.err().contains("steps was 3, now 6"), second.err());
        List<Map<String, Object>> a = full.json(), b = second.json();
        assertEquals(3, b.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.get(3 + i).get("step"), b.get(i).get("step"));
            assertEquals(a.get(3 + i).get("loss"), b.get(i).get("loss"));
            assertEquals(a.get(3 + i).get("grad_norm"), b.get(i).get("grad_norm"));
            assertEquals(a.get(3 + i).get("tokens"), b.get(i).get("tokens"));
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("full.bin")), Files.readAllBytes(tmp.resolve("resumed.bin")));
    }

    /** A tiny model from a shape, on text with a held-out split: eval loss lines appear on eval steps. */
    @Test
    void trainsAShapeFromScratchWithEval() throws Exception {
        Path text = Files.writeString(tmp.resolve("t.txt"), "abc abd abe abf\n".repeat(200));
        Run r = train("--init", "dim=16,hidden=32,layers=1,heads=2,vocab=259,seq=32", "--data", text.toString(), "--format", "text",
                "-z", byteTokenizer(tmp).toString(), "--batch", "4", "--seq", "16", "--steps", "30", "--lr", "1e-2",
                "--lr-schedule", "cosine", "--warmup", "5", "--min-lr", "1e-3", "--eval-every", "10", "--log-json", "--threads", "1");
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> log = r.json();
        assertEquals(30, log.size());
        for (Map<String, Object> m : log) {
            long s = Json.integer(m, "step", 0);
            assertEquals(s % 10 == 0, m.containsKey("eval_loss"), "eval loss on step " + s);
        }
        assertEquals(1e-2 / 5, Json.number(log.get(0), "lr", 0), 1e-12, "warmup starts at lr / warmup");
        assertEquals(1e-3, Json.number(log.get(29), "lr", 0), 1e-12, "cosine ends at min-lr");
        double first = Json.number(log.get(9), "eval_loss", 0), last = Json.number(log.get(29), "eval_loss", 0);
        assertTrue(last < first, "eval loss falls: " + first + " -> " + last);
        assertTrue(r.err().contains("eval loss before step 1:"), r.err());

        // an eval file and no --eval-every: the whole file trains, eval once at the end
        Path held = Files.writeString(tmp.resolve("held.txt"), "abc abd\n".repeat(20));
        Run e = train("--init", "dim=16,hidden=32,layers=1,heads=2,vocab=259,seq=32", "--data", text.toString(), "--eval-data",
                held.toString(), "-z", byteTokenizer(tmp).toString(), "--batch", "4", "--seq", "16", "--steps", "3", "--lr", "1e-2",
                "--log-json", "--threads", "1");
        assertEquals(0, e.code(), e.err());
        List<Map<String, Object>> elog = e.json();
        assertFalse(elog.get(1).containsKey("eval_loss"));
        assertTrue(elog.get(2).containsKey("eval_loss"));
        assertTrue(e.err().contains("eval held.txt"), e.err());
    }

    @Test
    void errorsAreOneLineMessages() throws Exception {
        String init = shared("models/stories260K/stories260K.bin").toString();
        String data = shared("data/tinystories-sample.tok512.u16").toString();
        String[] ok = {"--init", init, "--data", data, "--batch", "2", "--seq", "16", "--steps", "1", "--lr", "1e-3"};

        Run device = train(concat(ok, "--device", "tpu"));
        assertEquals(2, device.code());
        assertTrue(device.err().contains("unknown device 'tpu'"), device.err());

        Run missing = train("--init", init, "--batch", "2", "--seq", "16", "--steps", "1", "--lr", "1e-3");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("missing --data"), missing.err());

        Path odd = Files.write(tmp.resolve("odd.u16"), new byte[]{1, 0, 2});
        Run bad = train("--init", init, "--data", odd.toString(), "--batch", "2", "--seq", "16", "--steps", "1", "--lr", "1e-3");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains(odd + ": has an odd size"), bad.err());
        assertFalse(bad.err().contains("Exception"), "no stack trace: " + bad.err());

        Run noTok = train("--init", "stories260K", "--data", shared("data/tinystories-sample.txt").toString(), "--batch", "2",
                "--seq", "16", "--steps", "1", "--lr", "1e-3");
        assertEquals(1, noTok.code());
        assertTrue(noTok.err().contains("needs a tokenizer (pass -z TOKENIZER)"), noTok.err());

        Run longSeq = train(concat(ok, "--seq", "1024"));
        assertEquals(2, longSeq.code());
        assertTrue(longSeq.err().contains("longer than the model's context of 512"), longSeq.err());

        Run badFormat = train(concat(ok, "--format", "csv"));
        assertEquals(2, badFormat.code());
        assertTrue(badFormat.err().contains("unknown data format 'csv'"), badFormat.err());

        Run notShape = train("--init", "nonexistent.bin", "--data", data, "--batch", "2", "--seq", "16", "--steps", "1", "--lr", "1e-3");
        assertEquals(1, notShape.code());
        assertTrue(notShape.err().contains("--init nonexistent.bin: no such checkpoint file, and not a shape"), notShape.err());

        Run resumeNothing = train("--resume", tmp.toString(), "--data", data, "--batch", "2", "--seq", "16", "--steps", "1", "--lr", "1e-3");
        assertEquals(1, resumeNothing.code());
        assertTrue(resumeNothing.err().contains("not a training-state folder"), resumeNothing.err());
    }

    /** A tokenizer.bin with BOS/EOS and the 256 byte tokens (llama2.c's format). */
    static Path byteTokenizer(Path dir) throws Exception {
        var buf = java.nio.ByteBuffer.allocate(1 << 16).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        buf.putInt(16);
        for (String s : new String[]{"<unk>", "\n<s>\n", "\n</s>\n"}) {
            buf.putFloat(0).putInt(s.length()).put(s.getBytes(StandardCharsets.US_ASCII));
        }
        for (int b = 0; b < 256; b++) {
            byte[] p = String.format("<0x%02X>", b).getBytes(StandardCharsets.US_ASCII);
            buf.putFloat(0).putInt(p.length).put(p);
        }
        Path p = dir.resolve("bytes.bin");
        Files.write(p, java.util.Arrays.copyOf(buf.array(), buf.position()));
        return p;
    }

    private static String str(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e6 ? String.valueOf(d.longValue()) : String.valueOf(v);
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
