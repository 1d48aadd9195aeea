package dev.llamascope.engine.tensor;

/**
 * A float array per thread that only grows, for hot paths that would otherwise allocate one per call: the garbage
 * of a new array per call in prefill or decode costs young collections and page faults on a growing heap (see
 * bench/README.md, seventh session).
 */
public final class FloatScratch {
    private final ThreadLocal<float[]> buffer = ThreadLocal.withInitial(() -> new float[0]);

    /** This thread's array, at least n long. It holds whatever this thread last left in it. */
    public float[] get(int n) {
        float[] a = buffer.get();
        if (a.length < n) {
            a = new float[n];
            buffer.set(a);
        }
        return a;
    }
}
