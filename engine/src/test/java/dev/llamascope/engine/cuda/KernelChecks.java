package dev.llamascope.engine.cuda;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Runs every training kernel on an accelerator with random inputs and compares with {@link CpuReference}. Each
 * comparison reports the largest absolute error and that error relative to the largest reference magnitude; a
 * check passes when the relative error is within its tolerance. Used with the emulator (every build) and with a
 * real GPU (GpuKernelsTest, when one is present).
 */
final class KernelChecks {
    record Report(String check, double maxAbs, double relToScale, double tolerance) {
        boolean ok() {
            return relToScale <= tolerance && !Double.isNaN(maxAbs);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-44s max abs err %.3e  rel %.3e  (tol %.0e) %s", check, maxAbs, relToScale, tolerance, ok() ? "ok" : "FAIL");
        }
    }

    private final Accelerator acc;
    private final SplittableRandom rng;
    private final List<Report> reports = new ArrayList<>();
    private final List<DevicePtr> owned = new ArrayList<>();
    private final double matmulTolerance;

    KernelChecks(Accelerator acc, long seed, double matmulTolerance) {
        this.acc = acc;
        this.rng = new SplittableRandom(seed);
        this.matmulTolerance = matmulTolerance;
    }

    List<Report> runAll() {
        try {
            embedding();
            rmsnorm();
            rope();
            attention(2, 5, 4, 2, 16, 0f);
            attention(1, 37, 2, 1, 48, 0f);
            attention(2, 6, 4, 4, 8, 0.25f);
            swiglu();
            crossEntropy(false);
            crossEntropy(true);
            residualAndDropout();
            gradNormAndAdamW();
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true}) {
                    gemm(new KernelMatmul(acc), ta, tb, 70, 33, 45, 0f, 1e-5);
                    gemm(new KernelMatmul(acc), ta, tb, 64, 128, 16, 1f, 1e-5);
                    gemm(new KernelMatmul(acc), ta, tb, 261, 139, 77, 1f, 1e-5);  // 3 x 2 tiles, 10 slices, ragged edges
                    gemm(acc.matmul(), ta, tb, 70, 33, 45, 1f, matmulTolerance);
                    gemmBatched(new KernelMatmul(acc), ta, tb, 19, 37, 21, 3, 1f, 1e-5);
                    if (acc.hasKernel("matmul_tf32")) {  // a GPU of compute capability 8.0+, or the emulator
                        gemm(new KernelMatmul(acc, true), ta, tb, 261, 139, 77, 1f, 5e-3);
                        gemmBatched(new KernelMatmul(acc, true), ta, tb, 19, 37, 21, 3, 0f, 5e-3);
                    }
                    gemmBatched(acc.matmul(), ta, tb, 19, 37, 21, 3, 0f, matmulTolerance);
                }
        } finally {
            for (DevicePtr p : owned) acc.free(p);
        }
        return reports;
    }

    // ---- helpers ----

    private float[] randn(int n, double sd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rng.nextGaussian() * sd);
        return a;
    }

    private DevicePtr put(float[] a) {
        DevicePtr p = acc.alloc(4L * Math.max(1, a.length));
        owned.add(p);
        if (a.length > 0) acc.upload(p, MemorySegment.ofArray(a));
        return p;
    }

    private DevicePtr put(int[] a) {
        DevicePtr p = acc.alloc(4L * Math.max(1, a.length));
        owned.add(p);
        if (a.length > 0) acc.upload(p, MemorySegment.ofArray(a));
        return p;
    }

    private float[] get(DevicePtr p, int n) {
        float[] a = new float[n];
        acc.download(MemorySegment.ofArray(a), p);
        return a;
    }

    private void compare(String name, float[] got, float[] want, double tol) {
        double maxAbs = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            double e = Math.abs((double) got[i] - want[i]);
            if (Double.isNaN(got[i])) e = Double.NaN;
            maxAbs = Double.isNaN(e) || Double.isNaN(maxAbs) ? Double.NaN : Math.max(maxAbs, e);
            scale = Math.max(scale, Math.abs(want[i]));
        }
        reports.add(new Report(name, maxAbs, scale == 0 ? maxAbs : maxAbs / scale, tol));
    }

    // ---- checks ----

    private void embedding() {
        int V = 50, C = 40, N = 64;
        float[] emb = randn(V * C, 1);
        int[] tok = new int[N];
        for (int i = 0; i < N; i++) tok[i] = rng.nextInt(V / 4);  // repeats, so rows are summed
        for (float p : new float[]{0f, 0.3f}) {
            long seed = rng.nextLong();
            DevicePtr out = put(new float[N * C]);
            acc.launch("embedding_forward", Dim3.cover((long) N * C, 256), Dim3.of(256), out, put(tok), put(emb), N, C, p, seed);
            compare("embedding_forward p=" + p, get(out, N * C), CpuReference.embeddingForward(tok, emb, C, p, seed), 0);
            // backward through the same CSR grouping the trainer builds
            float[] dout = randn(N * C, 1), demb0 = randn(V * C, 1);
            float[] want = demb0.clone();
            CpuReference.embeddingBackward(want, dout, tok, C, p, seed);
            List<Integer> uniq = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>(), positions = new ArrayList<>();
            for (int t = 0; t < V; t++) {
                boolean any = false;
                for (int i = 0; i < N; i++) {
                    if (tok[i] != t) continue;
                    if (!any) {
                        uniq.add(t);
                        offsets.add(positions.size());
                        any = true;
                    }
                    positions.add(i);
                }
            }
            offsets.add(positions.size());
            DevicePtr demb = put(demb0);
            acc.launch("embedding_backward", Dim3.of(uniq.size(), (C + 255) / 256), Dim3.of(256), demb, put(dout), put(ints(uniq)),
                    put(ints(offsets)), put(ints(positions)), C, p, seed);
            compare("embedding_backward p=" + p, get(demb, V * C), want, 1e-6);
        }
    }

    private static int[] ints(List<Integer> l) {
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private void rmsnorm() {
        for (int C : new int[]{64, 288, 1000}) {
            int N = 37;
            float eps = 1e-5f;
            float[] x = randn(N * C, 1.5), g = randn(C, 1), dout = randn(N * C, 1), dx0 = randn(N * C, 1);
            DevicePtr out = put(new float[N * C]), rs = put(new float[N]), px = put(x), pg = put(g);
            int block = Math.min(256, (C + 31) / 32 * 32);
            acc.launch("rmsnorm_forward", Dim3.of(N), Dim3.of(block), out, rs, px, pg, N, C, eps);
            compare("rmsnorm_forward C=" + C, get(out, N * C), CpuReference.rmsnormForward(x, g, N, C, eps), 2e-6);
            float[] r = CpuReference.rstd(x, N, C, eps);
            compare("rmsnorm_forward rstd C=" + C, get(rs, N), r, 2e-6);
            float[] wantDx = dx0.clone(), dg0 = randn(C, 1), wantDg = dg0.clone();
            CpuReference.rmsnormBackward(wantDx, wantDg, dout, x, g, r, N, C);
            DevicePtr dx = put(dx0), pd = put(dout), prs = put(r);
            acc.launch("rmsnorm_backward", Dim3.of(N), Dim3.of(block), dx, pd, px, pg, prs, N, C);
            compare("rmsnorm_backward C=" + C, get(dx, N * C), wantDx, 1e-5);
            int rows = 16, chunks = (N + rows - 1) / rows;
            DevicePtr partial = put(new float[chunks * C]), dg = put(dg0);
            acc.launch("rmsnorm_dgain", Dim3.of((C + 255) / 256, chunks), Dim3.of(256), partial, pd, px, prs, N, C, rows);
            acc.launch("sum_partials_into", Dim3.cover(C, 256), Dim3.of(256), dg, partial, chunks, C);
            compare("rmsnorm_dgain+sum_partials_into C=" + C, get(dg, C), wantDg, 1e-5);
        }
    }

    private void rope() {
        int B = 2, T = 9, heads = 3, hs = 16, N = B * T, half = hs / 2;
        float[] cos = new float[T * half], sin = new float[T * half];
        dev.llamascope.engine.inference.Rope rope = new dev.llamascope.engine.inference.Rope(hs, 10000f);
        float[] cr = new float[half], sr = new float[half];
        for (int t = 0; t < T; t++) {
            rope.angles(t, cr, sr);
            System.arraycopy(cr, 0, cos, t * half, half);
            System.arraycopy(sr, 0, sin, t * half, half);
        }
        for (boolean backward : new boolean[]{false, true}) {
            float[] x = randn(N * heads * hs, 1), want = x.clone();
            CpuReference.rope(want, cos, sin, N, T, heads, hs, backward);
            DevicePtr px = put(x);
            acc.launch(backward ? "rope_backward" : "rope_forward", Dim3.cover((long) N * heads * half, 256), Dim3.of(256), px, put(cos), put(sin), N, T, heads, hs);
            compare(backward ? "rope_backward" : "rope_forward", get(px, x.length), want, 1e-6);
        }
    }

    /**
     * The whole attention (GpuAttention: layout changes, batched products through the accelerator's GEMM, softmax
     * and its backward, dropout) from token-major q, k, v to token-major y, and back to dq, dk, dv.
     */
    private void attention(int B, int T, int NH, int NKV, int hs, float p) {
        String shape = " B" + B + " T" + T + " NH" + NH + " NKV" + NKV + " hs" + hs + (p > 0 ? " p=" + p : "");
        int C = NH * hs, KC = NKV * hs;
        long seed = rng.nextLong();
        float[] q = randn(B * T * C, 1), k = randn(B * T * KC, 1), v = randn(B * T * KC, 1), dy = randn(B * T * C, 1);
        float[] attRef = new float[B * NH * T * T];
        float[] yRef = CpuReference.attentionForward(attRef, q, k, v, B, T, NH, NKV, hs, p, seed);
        double tol = Math.max(1e-5, matmulTolerance);
        try (GpuAttention attention = new GpuAttention(acc, B, T, NH, NKV, hs)) {
            DevicePtr qh = put(new float[q.length]), kh = put(new float[k.length]), vh = put(new float[v.length]);
            attention.toHeads(qh, put(q), NH);
            attention.toHeads(kh, put(k), NKV);
            attention.toHeads(vh, put(v), NKV);
            DevicePtr att = put(new float[attRef.length]), y = put(new float[yRef.length]);
            attention.forward(y, att, qh, kh, vh, p, seed);
            float[] attGot = get(att, attRef.length);
            compare("attention probabilities" + shape, attGot, attRef, Math.max(2e-6, matmulTolerance));
            compare("attention output" + shape, get(y, yRef.length), yRef, tol);
            // backward from the device's own probabilities, so only the backward's error is measured
            float[][] ref = CpuReference.attentionBackward(attGot, q, k, v, dy, B, T, NH, NKV, hs, p, seed);
            DevicePtr dq = put(new float[q.length]), dk = put(new float[k.length]), dv = put(new float[v.length]);
            attention.backward(dq, dk, dv, put(dy), att, qh, kh, vh, p, seed);
            compare("attention score gradients" + shape, get(attention.scoreGradients(), attRef.length), ref[0], tol);
            compare("attention dq" + shape, get(dq, q.length), ref[1], tol);
            compare("attention dk" + shape, get(dk, k.length), ref[2], tol);
            compare("attention dv" + shape, get(dv, v.length), ref[3], tol);
        }
    }

    private void swiglu() {
        int n = 1000;
        float[] h1 = randn(n, 2), h3 = randn(n, 1), dg = randn(n, 1);
        float[] g = new float[n], dh1 = new float[n], dh3 = new float[n];
        for (int i = 0; i < n; i++) {
            double sig = 1 / (1 + Math.exp(-h1[i]));
            g[i] = (float) (h1[i] * sig * h3[i]);
            dh1[i] = (float) (dg[i] * h3[i] * sig * (1 + h1[i] * (1 - sig)));
            dh3[i] = (float) (dg[i] * h1[i] * sig);
        }
        DevicePtr ph1 = put(h1), ph3 = put(h3), pg = put(new float[n]), pdg = put(dg), pdh1 = put(new float[n]), pdh3 = put(new float[n]);
        acc.launch("swiglu_forward", Dim3.cover(n, 256), Dim3.of(256), pg, ph1, ph3, n);
        compare("swiglu_forward", get(pg, n), g, 1e-6);
        acc.launch("swiglu_backward", Dim3.cover(n, 256), Dim3.of(256), pdh1, pdh3, pdg, ph1, ph3, n);
        compare("swiglu_backward dh1", get(pdh1, n), dh1, 1e-6);
        compare("swiglu_backward dh3", get(pdh3, n), dh3, 1e-6);
    }

    private void crossEntropy(boolean masked) {
        int N = 19, V = 777;
        float[] logits = randn(N * V, 3);
        int[] targets = new int[N];
        for (int i = 0; i < N; i++) targets[i] = rng.nextInt(V);
        float[] mask = null;
        double count = N;
        if (masked) {
            mask = new float[N];
            count = 0;
            for (int i = 0; i < N; i++) {
                mask[i] = rng.nextInt(3) == 0 ? 0f : 1f;
                count += mask[i];
            }
        }
        float inv = (float) (1 / count);
        float[][] ref = CpuReference.crossEntropy(logits, targets, mask, N, V, inv);
        DevicePtr pl = put(logits), losses = put(new float[N]), out = put(new float[4]);
        acc.launch("crossentropy_forward_backward", Dim3.of(N), Dim3.of(256), pl, losses, put(targets), masked ? put(mask) : DevicePtr.NULL, N, V, inv);
        String tag = masked ? " (masked)" : "";
        compare("crossentropy_forward_backward losses" + tag, get(losses, N), ref[1], 2e-6);
        compare("crossentropy_forward_backward dlogits" + tag, get(pl, N * V), ref[0], 2e-6);
        acc.launch("sum_scaled", Dim3.of(1), Dim3.of(256), out, 0, losses, N, inv);
        double mean = 0;
        for (float l : ref[1]) mean += l;
        compare("sum_scaled (mean loss)" + tag, new float[]{get(out, 1)[0]}, new float[]{(float) (mean * inv)}, 1e-6);
    }

    private void residualAndDropout() {
        int n = 5000;
        float[] a = randn(n, 1), b = randn(n, 1);
        for (float p : new float[]{0f, 0.1f}) {
            long seed = rng.nextLong();
            float[] want = new float[n], wantBack = new float[n];
            int dropped = 0;
            for (int i = 0; i < n; i++) {
                float s = CpuReference.dropoutScale(p, seed, i);
                want[i] = a[i] + b[i] * s;
                wantBack[i] = b[i] * s;
                if (s == 0) dropped++;
            }
            if (p > 0 && Math.abs(dropped - p * n) > 5 * Math.sqrt(n * p * (1 - p))) {
                reports.add(new Report("dropout rate " + dropped + "/" + n + " far from p=" + p, 1, 1, 0));
            }
            DevicePtr out = put(new float[n]), pa = put(a), pb = put(b);
            acc.launch("residual_add", Dim3.cover(n, 256), Dim3.of(256), out, pa, pb, n, p, seed);
            compare("residual_add p=" + p, get(out, n), want, 1e-7);
            acc.launch("dropout_backward", Dim3.cover(n, 256), Dim3.of(256), out, pb, n, p, seed);
            compare("dropout_backward p=" + p, get(out, n), wantBack, 1e-7);
        }
    }

    private void gradNormAndAdamW() {
        int n = 300_001;
        float[] g = randn(n, 0.01);
        double ss = 0;
        for (float x : g) ss += (double) x * x;
        float norm = (float) Math.sqrt(ss);
        for (float clip : new float[]{0f, 1f, norm / 2}) {
            int blocks = (int) Math.min(1024, (n + 255) / 256);
            DevicePtr partial = put(new float[blocks]), sc = put(new float[4]), pg = put(g);
            acc.launch("sumsq_partial", Dim3.of(blocks), Dim3.of(256), partial, pg, n);
            acc.launch("gradnorm_finish", Dim3.of(1), Dim3.of(256), sc, partial, blocks, clip);
            float[] s = get(sc, 3);
            float coef = clip > 0 ? Math.min(1f, clip / (norm + 1e-6f)) : 1f;
            compare("sumsq_partial+gradnorm_finish norm clip=" + clip, new float[]{s[1]}, new float[]{norm}, 1e-6);
            compare("gradnorm_finish clip factor clip=" + clip, new float[]{s[2]}, new float[]{coef}, 1e-6);
            if (clip != norm / 2) continue;
            float[] p = randn(n, 0.1), m = randn(n, 0.01), v = new float[n];
            for (int i = 0; i < n; i++) v[i] = (float) Math.abs(rng.nextGaussian() * 1e-4);
            float lr = 1e-3f, wd = 0.1f;
            int t = 3;
            float decay = (float) (1.0 - lr * (double) wd), stepSize = (float) (lr / (1 - Math.pow(0.9, t)));
            float bc2sqrt = (float) Math.sqrt(1 - Math.pow(0.95, t)), omb1 = (float) (1 - 0.9), omb2 = (float) (1 - 0.95);
            float[] wp = p.clone(), wm = m.clone(), wv = v.clone();
            CpuReference.adamw(wp, g, wm, wv, s[2], decay, stepSize, omb1, 0.95f, omb2, bc2sqrt, 1e-8f);
            DevicePtr pp = put(p), pm = put(m), pv = put(v);
            acc.launch("adamw_update", Dim3.cover(n, 256), Dim3.of(256), pp, pg, pm, pv, sc, n, decay, stepSize, omb1, 0.95f, omb2, bc2sqrt, 1e-8f);
            compare("adamw_update weights", get(pp, n), wp, 1e-6);
            compare("adamw_update first moment", get(pm, n), wm, 1e-6);
            compare("adamw_update second moment", get(pv, n), wv, 1e-6);
        }
    }

    /** {@code batch} products through one gemmBatched call, operands apart by more than their size (gaps untouched). */
    private void gemmBatched(Matmul mm, boolean ta, boolean tb, int M, int N, int K, int batch, float beta, double tol) {
        int lda = ta ? M : K, ldb = tb ? K : N, ldc = N;
        int sa = M * K + 5, sb = K * N + 3, sc = M * N + 7;
        float[] a = randn(sa * batch, 1), b = randn(sb * batch, 1), c0 = randn(sc * batch, 1);
        float[] want = c0.clone();
        for (int z = 0; z < batch; z++) {
            float[] az = java.util.Arrays.copyOfRange(a, z * sa, z * sa + M * K), bz = java.util.Arrays.copyOfRange(b, z * sb, z * sb + K * N);
            float[] cz = java.util.Arrays.copyOfRange(want, z * sc, z * sc + M * N);
            CpuReference.gemm(ta, tb, M, N, K, 0.5f, az, lda, bz, ldb, beta, cz, ldc);
            System.arraycopy(cz, 0, want, z * sc, M * N);
        }
        DevicePtr pc = put(c0);
        mm.gemmBatched(ta, tb, M, N, K, 0.5f, put(a), lda, sa, put(b), ldb, sb, beta, pc, ldc, sc, batch);
        compare("gemmBatched[" + mm.name() + "] " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + batch + " x " + M + "x" + N + "x" + K
                + " beta=" + beta, get(pc, c0.length), want, tol);
    }

    private void gemm(Matmul mm, boolean ta, boolean tb, int M, int N, int K, float beta, double tol) {
        int lda = (ta ? M : K) + 3, ldb = (tb ? K : N) + 1, ldc = N + 2;
        float[] a = randn((ta ? K : M) * lda, 1), b = randn((tb ? N : K) * ldb, 1), c0 = randn(M * ldc, 1);
        if (beta == 0) for (int i = 0; i < c0.length; i++) if (i % 7 == 0) c0[i] = Float.NaN;  // beta 0 must not read C
        float[] want = c0.clone();
        CpuReference.gemm(ta, tb, M, N, K, 0.5f, a, lda, b, ldb, beta, want, ldc);
        DevicePtr pc = put(c0);
        mm.gemm(ta, tb, M, N, K, 0.5f, put(a), lda, put(b), ldb, beta, pc, ldc);
        float[] got = get(pc, c0.length);
        float[] g2 = new float[M * N], w2 = new float[M * N];
        for (int i = 0; i < M; i++)
            for (int j = 0; j < N; j++) {
                g2[i * N + j] = got[i * ldc + j];
                w2[i * N + j] = want[i * ldc + j];
            }
        compare("gemm[" + mm.name() + "] " + (ta ? "T" : "N") + (tb ? "T" : "N") + " " + M + "x" + N + "x" + K + " beta=" + beta, g2, w2, tol);
    }
}
