package dev.llamascope.engine.cuda;

import dev.llamascope.engine.data.Batch;
import dev.llamascope.engine.model.FlatWeights;
import dev.llamascope.engine.model.ModelConfig;
import dev.llamascope.engine.train.AdamW;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.TrainDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@link TrainBackend} on an NVIDIA GPU: the {@link dev.llamascope.engine.train.Trainer}'s operations mapped onto
 * {@link CudaTrainer}'s. Weights, gradients and AdamW moments stay on the device; a checkpoint downloads them, a resume
 * uploads them, in the same {@link FlatWeights} layout as the CPU backend, so a run can move between the two.
 *
 * <p>A batch's ignored targets (negative, e.g. prompt tokens under loss masking) become zero weights of the loss mask.
 * Dropout masks come from the key the trainer passes, hashed as {@link dev.llamascope.engine.train.Dropout} does on the
 * CPU, so both devices drop the same elements. The backend owns its accelerator and closes it.
 */
public final class CudaTrainBackend implements TrainBackend {
    private final Accelerator acc;
    private final CudaTrainer trainer;
    private final ModelConfig c;
    private final int B, T;
    private final float dropout;
    private final boolean tf32;
    private final String label;
    private final int[] targets;
    private final float[] mask;

    /**
     * A backend on {@code acc} (which it closes), starting from {@code initial} with zero moments.
     *
     * @param label what the device is called in the description, e.g. "GPU 0"
     */
    public CudaTrainBackend(Accelerator acc, FlatWeights initial, Spec spec, String label) {
        if (!initial.config().equals(spec.config())) throw new IllegalArgumentException("weights and spec describe different models");
        CudaTrainer.checkShape(spec.config(), spec.batch(), spec.seq());
        this.acc = acc;
        this.c = spec.config();
        this.B = spec.batch();
        this.T = spec.seq();
        this.dropout = spec.dropout();
        this.tf32 = spec.tf32();
        this.label = label;
        this.targets = new int[B * T];
        this.mask = new float[B * T];
        this.trainer = new CudaTrainer(acc, initial);
    }

    @Override
    public String description() {
        boolean tf32Lost = tf32 && !acc.matmul().name().contains("TF32");  // our own kernel multiplies in fp32 only
        return label + " (" + acc.description() + (tf32Lost ? "; --tf32 needs cuBLAS, so fp32" : "") + ")";
    }

    @Override
    public ModelConfig config() {
        return c;
    }

    @Override
    public void zeroGradients() {
        trainer.zeroGradients();
    }

    @Override
    public double forwardBackward(Batch batch, float gradScale, long dropoutKey) {
        float[] m = prepare(batch);
        return trainer.forwardBackward(batch.inputs(), m == null ? batch.targets() : targets, m, B, T, gradScale, dropout, dropoutKey);
    }

    @Override
    public double loss(Batch batch) {
        float[] m = prepare(batch);
        return trainer.loss(batch.inputs(), m == null ? batch.targets() : targets, m, B, T);
    }

    /** Null when every target counts; else the loss mask (1 counted, 0 ignored), with ignored targets set to 0 in {@link #targets}. */
    private float[] prepare(Batch b) {
        if (b.rows() != B || b.seq() != T)
            throw new IllegalArgumentException("this backend was built for " + B + " x " + T + " batches, got " + b.rows() + " x " + b.seq());
        int[] tg = b.targets();
        boolean all = true;
        for (int t : tg) {
            if (t < 0) {
                all = false;
                break;
            }
        }
        if (all) return null;
        for (int i = 0; i < tg.length; i++) {
            targets[i] = Math.max(0, tg[i]);
            mask[i] = tg[i] >= 0 ? 1f : 0f;
        }
        return mask;
    }

    @Override
    public double gradientNorm() {
        return trainer.gradientNorm();
    }

    @Override
    public void adamwStep(AdamW optimizer, double lr, float gradMultiplier, long step) {
        trainer.adamwStep(optimizer, lr, gradMultiplier, step);
    }

    @Override
    public void readWeights(float[] dst) {
        trainer.downloadWeights(dst);
    }

    @Override
    public void readGradients(float[] dst) {
        trainer.downloadGradients(dst);
    }

    @Override
    public void readOptimizerState(float[] m, float[] v) {
        trainer.downloadMoments(m, v);
    }

    @Override
    public void writeState(float[] weights, float[] m, float[] v) {
        trainer.writeState(weights, m, v);
    }

    @Override
    public void close() {
        try {
            trainer.close();
        } finally {
            acc.close();
        }
    }

    /**
     * The "cuda" device: the first usable GPU, or GPU {@code ordinal} ("cuda:N"). Whether it can run here is
     * {@link CudaDevices#probe}'s answer; {@link #create} also refuses a run whose buffers would not fit in the GPU's
     * free memory, before allocating anything.
     */
    public static final class Factory implements TrainBackend.Factory {
        private final HostSystem host;
        private final String driverLibrary;
        private final int ordinal;

        /** The system's driver, the first usable GPU. */
        public Factory() {
            this(HostSystem.current(), null, -1);
        }

        /**
         * @param driverLibrary a libcuda to load (a path, or a name for the system loader), or null to search as
         *                      {@link CudaDriver#load(HostSystem)} does
         * @param ordinal       a GPU's number, or -1 for the first usable one
         */
        public Factory(HostSystem host, String driverLibrary, int ordinal) {
            if (ordinal < -1) throw new IllegalArgumentException("GPU number must be >= 0, got " + ordinal);
            this.host = host;
            this.driverLibrary = driverLibrary;
            this.ordinal = ordinal;
        }

        @Override
        public String device() {
            return "cuda";
        }

        @Override
        public Factory forIndex(int index) {
            return new Factory(host, driverLibrary, index);
        }

        private GpuReport probe() {
            return driverLibrary != null ? CudaDevices.probe(host, driverLibrary) : CudaDevices.probe(host);
        }

        @Override
        public String unavailableReason() {
            GpuReport r = probe();
            if (!r.usable()) return r.unusableReason();
            try {
                chosen(r);
                return null;
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        }

        /** The GPU this factory trains on; IllegalStateException saying why when it does not exist or cannot train. */
        private GpuDevice chosen(GpuReport r) {
            if (ordinal < 0) return r.usableDevices().getFirst();
            for (GpuDevice d : r.devices()) {
                if (d.ordinal() == ordinal) {
                    if (!d.usable()) throw new IllegalStateException("GPU " + ordinal + " (" + d.name() + "): " + d.unusableReason());
                    return d;
                }
            }
            int n = r.devices().size();
            throw new IllegalStateException("GPU " + ordinal + " does not exist (" + n + " CUDA device" + (n == 1 ? "" : "s") + " found)");
        }

        @Override
        public TrainBackend create(FlatWeights initial, Spec spec) {
            GpuReport r = probe();
            if (!r.usable()) throw new IllegalStateException(r.unusableReason());
            GpuDevice d = chosen(r);
            CudaTrainer.checkShape(spec.config(), spec.batch(), spec.seq());
            long need = CudaTrainer.estimateBytes(spec.config(), spec.batch(), spec.seq());
            if (d.freeBytes() > 0 && need > d.freeBytes()) {
                throw new IllegalStateException(String.format(Locale.ROOT,
                        "training %d x %d batches of this model needs about %.1f GiB of GPU memory, but GPU %d (%s) has %.1f GiB free;"
                                + " use a smaller --batch or --seq (and --accum to keep the tokens per step)",
                        spec.batch(), spec.seq(), need / (double) (1L << 30), d.ordinal(), d.name(), d.freeBytes() / (double) (1L << 30)));
            }
            CudaDriver cu = driverLibrary != null ? CudaDriver.load(driverLibrary) : CudaDriver.load(host);
            CudaAccelerator acc = new CudaAccelerator(cu, new CudaAccelerator.Options(d.ordinal(), true, spec.tf32()), host);
            try {
                return new CudaTrainBackend(acc, initial, spec, "GPU " + d.ordinal());
            } catch (RuntimeException | Error e) {
                acc.close();
                throw e;
            }
        }

        /** Each GPU ("cuda:N", name and free memory, usable or why not), or one "cuda" entry saying why none can be listed. */
        @Override
        public List<TrainDevice> devices() {
            GpuReport r = probe();
            if (r.devices().isEmpty()) return List.of(new TrainDevice("cuda", "NVIDIA GPU", false, r.unusableReason()));
            List<TrainDevice> out = new ArrayList<>();
            for (GpuDevice d : r.devices()) {
                String why = d.unusableReason() != null ? d.unusableReason() : r.unusableReason();
                out.add(new TrainDevice("cuda:" + d.ordinal(), "GPU " + d.ordinal() + ": " + d.label(), why == null, why));
            }
            return List.copyOf(out);
        }
    }
}
