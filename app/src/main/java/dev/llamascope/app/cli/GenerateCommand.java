package dev.llamascope.app.cli;

import dev.llamascope.engine.inference.Generator;
import dev.llamascope.engine.inference.SamplerSettings;
import dev.llamascope.engine.inference.Transformer;
import dev.llamascope.engine.model.LoadOptions;
import dev.llamascope.engine.model.LoadedModel;
import dev.llamascope.engine.model.ModelLoader;
import dev.llamascope.engine.tensor.ComputePool;
import dev.llamascope.engine.tokenizer.Utf8Stream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code generate}: run.c's command line and stdout (the prompt, then the story, then a newline), except that
 * every character is printed, where run.c drops bytes that are not printable ASCII. Statistics go to stderr.
 */
public final class GenerateCommand implements Command {
    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String summary() {
        return "write text with a model, as llama2.c's run.c";
    }

    @Override
    public String usage() {
        return "llamascope generate [CHECKPOINT|NAME] [-z TOKENIZER] [-t TEMP=1.0] [-p TOPP=0.9] [-s SEED] [-n STEPS=256] [-i PROMPT]"
                + " [--top-k K] [--min-p P] [--repeat-penalty R] [--threads N] [--ids] [--quantize q8_0] [--context N] [--kv-f16]";
    }

    @Override
    public int run(String[] argv) throws Exception {
        Args a = new Args(argv, 0, List.of("-z|--tokenizer", "-t|--temperature", "-p|--top-p", "-s|--seed", "-n|--steps",
                "-i|--prompt", "--top-k", "--min-p", "--repeat-penalty", "--repeat-last-n", "--threads", "--quantize", "--context"),
                List.of("--ids", "--kv-f16", "-h|--help"));
        if (a.flag("-h")) {
            System.err.println("usage: " + usage());
            return 0;
        }
        Path checkpoint = ModelArgument.resolve(a.positional().isEmpty() ? null : a.positional().getFirst(), "generate MODEL.bin -z TOKENIZER.bin");
        a.maxPositional(1);
        float temperature = a.number("-t", 1.0f);
        float topP = a.number("-p", 0.9f);
        long seed = a.longValue("-s", 0);
        int steps = a.integer("-n", 256);
        String prompt = a.string("-i", "");
        int threads = a.integer("--threads", ComputePool.defaultThreads());
        if (threads < 1 || threads > 1024) throw new Args.UsageException("--threads must be between 1 and 1024");
        if (steps < 0) throw new Args.UsageException("-n must be >= 0");
        if (seed <= 0) seed = System.currentTimeMillis() / 1000;
        SamplerSettings settings = new SamplerSettings(temperature, topP, a.integer("--top-k", 0), a.number("--min-p", 0f),
                a.number("--repeat-penalty", 1f), a.integer("--repeat-last-n", 64), seed);
        boolean ids = a.flag("--ids");

        LoadOptions options = loadOptions(a);
        try (LoadedModel lm = ModelLoader.load(checkpoint, a.path("-z"), options); ComputePool pool = new ComputePool(threads)) {
            int seq = lm.model().config().seqLen();
            if (steps > seq)
                System.err.printf("llamascope: note: -n %d is more than the model's context of %d tokens; generating %d (--context N sets another)%n", steps, seq, seq);
            Transformer transformer = new Transformer(lm.model(), pool);
            transformer.setHalfPrecisionAttention(a.flag("--kv-f16"));
            Generator gen = new Generator(transformer, lm.tokenizer());
            int[] promptTokens = lm.tokenizer().encode(prompt, true, false);
            PrintStream out = Cli.utf8Stdout();
            Utf8Stream text = new Utf8Stream(false);
            Generator.Listener listener = (pos, token, piece, logits) -> {
                if (!ids && !isControlByte(piece)) {
                    out.print(text.feed(piece));
                    out.flush();
                }
            };
            Generator.Result r = gen.generate(promptTokens, steps, settings, false, listener, () -> false);
            if (ids) {
                StringBuilder sb = new StringBuilder();
                for (int t : r.tokens()) sb.append(sb.isEmpty() ? "" : " ").append(t);
                out.println(sb);
            } else {
                out.print(text.finish());
                out.print("\n");
            }
            out.flush();
            System.err.printf(Locale.ROOT, "achieved tok/s: %.1f (prompt %d tokens in %.1f ms, first token at %.1f ms, %d generated, stop: %s, %d threads)%n",
                    r.decodeTokensPerSecond(), r.promptTokens(), r.prefillNanos() / 1e6, r.firstTokenNanos() / 1e6,
                    r.generatedTokens(), r.stopReason().name().toLowerCase(Locale.ROOT), threads);
        }
        return 0;
    }

    /** --quantize and --context, shared with bench. */
    static LoadOptions loadOptions(Args a) throws Args.UsageException {
        String q = a.string("--quantize", null);
        if (q != null && !q.equalsIgnoreCase("q8_0")) throw new Args.UsageException("--quantize takes q8_0 (fp32/fp16 weights quantized in memory)");
        int context = a.integer("--context", 0);
        if (context < 0) throw new Args.UsageException("--context must be positive");
        return new LoadOptions(q == null ? null : "q8_0", context);
    }

    /**
     * A single-byte piece that is an ASCII control character other than white space (a sampled byte token such
     * as &lt;0x05&gt;): not text, and run.c does not print it either. Bytes that are not part of any UTF-8
     * character are skipped by the stream; every real character, CJK and emoji from byte tokens included, is printed.
     */
    static boolean isControlByte(byte[] piece) {
        if (piece.length != 1) return false;
        int b = piece[0] & 0xff;
        return (b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != 0x0b && b != 0x0c) || b == 0x7f;
    }
}
