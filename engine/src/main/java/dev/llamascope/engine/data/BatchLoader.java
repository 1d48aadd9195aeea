package dev.llamascope.engine.data;

import java.util.SplittableRandom;

/**
 * Makes micro-batch number g (from 0, counted over the whole run): row r takes unit {@code order(g * rows + r)}.
 * Sequential order is unit (g * rows + r) mod U, exactly golden/'s windows; shuffle visits every unit once per
 * epoch in a permutation drawn from (seed, epoch). Both are pure functions of g, so the data position of a run is
 * just its micro-batch counter, and a resumed run reads exactly the batches the uninterrupted one would have.
 */
public final class BatchLoader {
    private final TrainingSet set;
    private final int rows, seq, units;
    private final DataOrder order;
    private final long seed;
    private long permEpoch = -1;
    private int[] perm;

    public BatchLoader(TrainingSet set, int rows, int seq, DataOrder order, long seed) {
        this.set = set;
        this.rows = rows;
        this.seq = seq;
        this.order = order;
        this.seed = seed;
        this.units = set.units(seq);
        if (units < 1)
            throw new IllegalArgumentException(set.description() + " has " + set.tokenCount() + " tokens, too few for one sequence of "
                    + seq + " (+1) tokens");
    }

    public TrainingSet set() {
        return set;
    }

    /** Units in one pass over the data. */
    public int units() {
        return units;
    }

    public Batch batch(long microBatch) {
        int[] x = new int[rows * seq], y = new int[rows * seq];
        for (int r = 0; r < rows; r++) set.fillRow(unit(microBatch * rows + r), seq, x, y, r * seq);
        return new Batch(rows, seq, x, y);
    }

    /** The unit the i-th row of the run reads. */
    public int unit(long i) {
        if (order == DataOrder.SEQUENTIAL) return (int) Math.floorMod(i, (long) units);
        long epoch = i / units;
        if (epoch != permEpoch) {
            perm = permutation(epoch);
            permEpoch = epoch;
        }
        return perm[(int) (i % units)];
    }

    /** Fisher-Yates with a generator seeded from (seed, epoch). */
    private int[] permutation(long epoch) {
        int[] p = new int[units];
        for (int i = 0; i < units; i++) p[i] = i;
        SplittableRandom rng = new SplittableRandom(seed * 0x9e3779b97f4a7c15L + epoch);
        for (int i = units - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
