package dev.llamascope.engine.inference;

import dev.llamascope.engine.model.ModelConfig;

/**
 * Keys and values of every position seen so far, per layer, laid out [position][kv_dim]. Positions below the
 * current one stay valid when generation rewinds, which is what branching from an earlier token needs.
 */
public final class KvCache {
    final float[][] keys;
    final float[][] values;
    final int kvDim;
    final int capacity;

    public KvCache(ModelConfig c) {
        this(c, c.seqLen());
    }

    public KvCache(ModelConfig c, int capacity) {
        this.kvDim = c.kvDim();
        this.capacity = capacity;
        long perLayer = (long) capacity * kvDim;
        if (perLayer > Integer.MAX_VALUE - 16)
            throw new IllegalArgumentException("context " + capacity + " x kv_dim " + kvDim + " is too large for one cache array");
        keys = new float[c.nLayers()][(int) perLayer];
        values = new float[c.nLayers()][(int) perLayer];
    }

    public int capacity() {
        return capacity;
    }
}
