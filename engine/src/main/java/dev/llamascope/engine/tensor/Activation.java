package dev.llamascope.engine.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * An input vector for {@link Matrix#matvec}: the fp32 values plus the quantized forms that int8 kernels
 * compute from them, cached until the values change. The forward pass calls {@link #changed()} after it
 * writes {@link #data}, so q, k and v (and w1, w3) share one quantization of the same input, as runq.c does.
 * Buffers of a form are reused from one value to the next, so decoding allocates nothing per token.
 */
public final class Activation {
    /** The values. */
    public final float[] data;
    private final List<Entry<?>> forms = new ArrayList<>(2);

    public Activation(int length) {
        this.data = new float[length];
    }

    public int length() {
        return data.length;
    }

    /** Marks every quantized form stale: call after writing {@link #data}. */
    public void changed() {
        for (Entry<?> e : forms) e.valid = false;
    }

    /** A derived form of an input (e.g. int8 groups); equal kinds share one cache entry. */
    public interface Form<T> {
        /** Computes the form of x, into {@code reuse} when it is not null. */
        T compute(float[] x, T reuse);
    }

    /** The form of the current values, computed on first use since the last {@link #changed()}. */
    @SuppressWarnings("unchecked")
    public <T> T form(Form<T> kind) {
        for (Entry<?> e : forms) {
            if (e.kind.equals(kind)) {
                Entry<T> t = (Entry<T>) e;
                if (!t.valid) {
                    t.value = kind.compute(data, t.value);
                    t.valid = true;
                }
                return t.value;
            }
        }
        Entry<T> e = new Entry<>(kind, kind.compute(data, null));
        forms.add(e);
        return e.value;
    }

    private static final class Entry<T> {
        final Form<T> kind;
        T value;
        boolean valid = true;

        Entry(Form<T> kind, T value) {
            this.kind = kind;
            this.value = value;
        }
    }
}
