package dev.llamascope.engine.train;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import java.util.List;

/**
 * Where the arithmetic of training runs: the CPU ({@link CpuTrainBackend}) or a GPU. The {@link Trainer} owns the
 * loop, the data, the schedule, logging and checkpoints; a backend owns the weights, their gradients and the AdamW
 * moments (all in {@link FlatWeights} layout, llama2.c version 0 order) and does the numeric work of one step.
 *
 * <p>One optimizer step is: {@link #zeroGradients}, {@link #forwardBackward} once per micro-batch (gradients add up),
 * {@link #gradientNorm}, {@link #adamwStep}. Everything a checkpoint needs comes back through the {@code read*}
 * methods and goes in through {@link #writeState}, so a run can move between backends. A backend is used from one
 * thread at a time.
 */
public interface TrainBackend extends AutoCloseable {

    /** A short description for logs and the UI, e.g. "CPU, 2 threads". */
    String description();

    ModelConfig config();

    /** Sets every gradient to zero. */
    void zeroGradients();

    /**
     * Forward and backward pass of one micro-batch: adds {@code gradScale} times the gradient of the batch's mean loss
     * (over its non-ignored targets) to the gradients. With dropout, every mask derives from {@code dropoutKey}
     * ({@link Dropout#key}).
     *
     * @return the batch's mean cross-entropy (0 when no target counts)
     */
    double forwardBackward(Batch batch, float gradScale, long dropoutKey);

    /** The mean loss of a batch, forward only, no dropout, gradients untouched (eval). */
    double loss(Batch batch);

    /** The L2 norm of all gradients together. */
    double gradientNorm();

    /** Multiplies the gradients by {@code gradMultiplier} (the clipping coefficient) and applies AdamW step {@code step} (from 1). */
    void adamwStep(AdamW optimizer, double lr, float gradMultiplier, long step);

    /** Copies the weights out (length {@link ModelConfig#parameterCount()}). */
    void readWeights(float[] dst);

    /** Copies the current gradients out. */
    void readGradients(float[] dst);

    /** Copies the AdamW first and second moments out. */
    void readOptimizerState(float[] m, float[] v);

    /** Replaces weights and moments (null moments mean zero), e.g. when resuming. */
    void writeState(float[] weights, float[] m, float[] v);

    @Override
    void close();

    /**
     * What a backend is built for: the model, the micro-batch shape and the dropout rate.
     *
     * @param threads CPU threads (the CPU backend; a GPU backend ignores it)
     * @param tf32    GPU matrix multiplies on TF32 tensor cores (inputs rounded to 10 mantissa bits, about 2-8x faster
     *                on Ampere and newer, losses within about 1e-2 of fp32); false = full fp32. The CPU computes in fp32
     *                either way
     */
    record Spec(ModelConfig config, int batch, int seq, float dropout, int threads, boolean tf32) {
        public Spec {
            if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
            if (seq < 1) throw new IllegalArgumentException("seq must be at least 1, got " + seq);
            if (seq > config.seqLen())
                throw new IllegalArgumentException("seq " + seq + " is longer than the model's context of " + config.seqLen());
            if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }

        /** fp32 throughout. */
        public Spec(ModelConfig config, int batch, int seq, float dropout, int threads) {
            this(config, batch, seq, dropout, threads, false);
        }
    }

    /** Makes backends of one kind ("cpu", "cuda"); the registry is {@link TrainBackends}. */
    interface Factory {
        /** The --device name. */
        String device();

        /** Null when usable here, else a sentence saying why not (no driver, no GPU, not built in). */
        String unavailableReason();

        /** A backend starting from {@code initial} (which a CPU backend trains in place). */
        TrainBackend create(FlatWeights initial, Spec spec);

        /** The factory for unit {@code index} of this kind ("cuda:1" is GPU 1); kinds without numbered units refuse. */
        default Factory forIndex(int index) {
            throw new IllegalArgumentException("--device " + device() + ":" + index + ": " + device() + " has no numbered devices; use --device " + device());
        }

        /**
         * The devices of this kind a user can choose from, usable or not (with the reason), for a device list. May take
         * a moment (a GPU backend loads the driver and compiles its kernels): call it off the UI thread.
         */
        default List<TrainDevice> devices() {
            String why = unavailableReason();
            return List.of(new TrainDevice(device(), device(), why == null, why));
        }
    }
}
