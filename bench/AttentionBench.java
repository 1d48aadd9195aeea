import dev.llamascope.engine.tensor.AttentionScores;
import dev.llamascope.engine.tensor.Kernels;
import java.util.SplittableRandom;

/**
 * Prefill attention of one layer on one thread, in its three parts, as {@code Transformer.prefill} runs it: per head,
 * jobs of four consecutive queries of a causal 256-token block against a cache whose rows hold every head (the 42M
 * shape by default: 8 heads of 64 values, rows 2 KB apart). Prints milliseconds per layer for the scores, the softmax
 * and the weighted sums, every 5 of 40 rounds. Scores are computed one of three ways, by the last argument:
 * {@code dot} (one key at a time, {@code Kernels.dot} and a division, as before AttentionScores), {@code eight}
 * ({@code AttentionScores.scaled} per query) or {@code quad} ({@code AttentionScores.scaledQuad}, what prefill uses).
 * After building the engine, from the repository root:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp engine/target/classes bench/AttentionBench.java 8 64 quad
 * </pre>
 * The work of a job is in its own method: a loop left to on-stack replacement in {@code main} was compiled with its
 * vectors boxed, and measured that instead.
 */
public class AttentionBench {
    static final int SEQ = 256;
    static int heads, hs, kvDim;
    static String mode;
    static float[] q, kc, vc, out, scores = new float[4 * SEQ];
    static long tScores, tSoftmax, tWeighted;

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: AttentionBench HEADS HEAD_SIZE dot|eight|quad");
            System.exit(2);
        }
        heads = Integer.parseInt(args[0]);
        hs = Integer.parseInt(args[1]);
        mode = args[2];
        kvDim = heads * hs;
        SplittableRandom rng = new SplittableRandom(1);
        q = random(SEQ * kvDim, rng);
        kc = random(SEQ * kvDim, rng);
        vc = random(SEQ * kvDim, rng);
        out = new float[SEQ * kvDim];
        for (int round = 1; round <= 40; round++) {
            tScores = tSoftmax = tWeighted = 0;
            for (int h = 0; h < heads; h++) for (int i0 = 0; i0 < SEQ; i0 += 4) job(h, i0);
            if (round % 5 == 0)
                System.out.printf("%s, round %d: scores %.2f ms, softmax %.2f ms, weighted sums %.2f ms per layer%n", mode, round,
                        tScores / 1e6, tSoftmax / 1e6, tWeighted / 1e6);
        }
    }

    private static float[] random(int n, SplittableRandom rng) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) rng.nextGaussian();
        return a;
    }

    /** Queries i0 .. i0 + 3 of head h: scores, softmax, weighted sums of the values. */
    private static void job(int h, int i0) {
        float scale = (float) Math.sqrt(hs);
        int qo = i0 * kvDim + h * hs;
        long t0 = System.nanoTime();
        switch (mode) {
            case "quad" -> AttentionScores.scaledQuad(q, qo, kvDim, kc, h * hs, kvDim, hs, scale, scores, 0, SEQ, i0 + 1);
            case "eight" -> {
                for (int r = 0; r < 4; r++) AttentionScores.scaled(q, qo + r * kvDim, kc, h * hs, kvDim, hs, scale, scores, r * SEQ, i0 + r + 1);
            }
            default -> {
                for (int r = 0; r < 4; r++)
                    for (int t = 0; t <= i0 + r; t++) scores[r * SEQ + t] = Kernels.dot(q, qo + r * kvDim, kc, t * kvDim + h * hs, hs) / scale;
            }
        }
        long t1 = System.nanoTime();
        for (int r = 0; r < 4; r++) Kernels.softmax(scores, r * SEQ, i0 + r + 1);
        long t2 = System.nanoTime();
        Kernels.weightedSumQuad(scores, 0, SEQ, i0 + 1, vc, h * hs, kvDim, out, qo, kvDim, hs);
        long t3 = System.nanoTime();
        tScores += t1 - t0;
        tSoftmax += t2 - t1;
        tWeighted += t3 - t2;
    }
}
