package dev.llamascope.engine.cuda;

import dev.llamascope.engine.data.BatchLoader;
import dev.llamascope.engine.train.StepMetrics;
import dev.llamascope.engine.train.TrainBackend;
import dev.llamascope.engine.train.TrainConfig;
import dev.llamascope.engine.train.TrainListener;
import dev.llamascope.engine.train.TrainState;
import dev.llamascope.engine.train.Trainer;
import dev.llamascope.engine.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;

/** One run of the real {@link Trainer} loop on a backend, with everything it reported. */
record TrainerRun(List<StepMetrics> steps, List<double[]> evals, List<String> samples, Trainer.Result result, float[] weights,
                  String device) {

    /** What a run is given besides the backend; null eval/resume/tokenizer mean none, stopAfter < 0 runs to the end. */
    record Setup(TrainConfig config, BatchLoader train, BatchLoader eval, Trainer.Outputs outputs, TrainState resume,
                 Tokenizer tokenizer, Trainer.Sampling sampling, int stopAfter) {
        Setup(TrainConfig config, BatchLoader train) {
            this(config, train, null, Trainer.Outputs.NONE, null, null, Trainer.Sampling.OFF, -1);
        }

        Setup withEval(BatchLoader e) {
            return new Setup(config, train, e, outputs, resume, tokenizer, sampling, stopAfter);
        }

        Setup withOutputs(Trainer.Outputs o) {
            return new Setup(config, train, eval, o, resume, tokenizer, sampling, stopAfter);
        }

        Setup resumingFrom(TrainState s) {
            return new Setup(config, train, eval, outputs, s, tokenizer, sampling, stopAfter);
        }

        Setup stoppingAfter(int step) {
            return new Setup(config, train, eval, outputs, resume, tokenizer, sampling, step);
        }

        Setup sampling(Tokenizer t, Trainer.Sampling s) {
            return new Setup(config, train, eval, outputs, resume, t, s, stopAfter);
        }
    }

    /** Runs (closing the backend) and returns what the listener heard and the final weights. */
    static TrainerRun run(TrainBackend backend, Setup s) throws Exception {
        List<StepMetrics> steps = new ArrayList<>();
        List<double[]> evals = new ArrayList<>();
        List<String> samples = new ArrayList<>();
        String[] device = new String[1];
        try (backend) {
            Trainer[] t = new Trainer[1];
            t[0] = new Trainer(s.config(), backend, s.train(), s.eval(), s.tokenizer(), s.sampling(), s.outputs(), new TrainListener() {
                @Override
                public void started(Trainer.RunInfo info) {
                    device[0] = info.device();
                }

                @Override
                public void step(StepMetrics m) {
                    steps.add(m);
                    if (m.step() == s.stopAfter()) t[0].stop();
                }

                @Override
                public void evaluated(long step, double loss) {
                    evals.add(new double[]{step, loss});
                }

                @Override
                public void sample(long step, String text) {
                    samples.add(text);
                }
            });
            if (s.resume() != null) t[0].restore(s.resume());
            Trainer.Result r = t[0].run();
            return new TrainerRun(steps, evals, samples, r, t[0].snapshot().data(), device[0]);
        }
    }

    /** The largest |a - b| over two runs' step losses, from each run's step {@code from} (index into its list). */
    static double maxLossDiff(List<StepMetrics> a, int fromA, List<StepMetrics> b, int fromB, int count) {
        double d = 0;
        for (int i = 0; i < count; i++) d = Math.max(d, Math.abs(a.get(fromA + i).loss() - b.get(fromB + i).loss()));
        return d;
    }

    /** The largest relative difference of the gradient norms, as {@link #maxLossDiff}. */
    static double maxNormRelDiff(List<StepMetrics> a, int fromA, List<StepMetrics> b, int fromB, int count) {
        double d = 0;
        for (int i = 0; i < count; i++) {
            double x = a.get(fromA + i).gradNorm(), y = b.get(fromB + i).gradNorm();
            d = Math.max(d, Math.abs(x - y) / Math.max(1e-12, Math.abs(y)));
        }
        return d;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " vs " + b.length + " values");
        double d = 0;
        for (int i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
        return d;
    }

    /**
     * ||a - b|| / ||a - start||: how far two runs from the same start ended apart, relative to how far they moved. The
     * largest single difference is a poor measure after AdamW: a coordinate whose gradient is near 0 moves by up to
     * lr either way on its sign, and fp32 rounding on either device decides that sign.
     */
    static double relativeUpdateDiff(float[] start, float[] a, float[] b) {
        double diff = 0, moved = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
            moved += (double) (a[i] - start[i]) * (a[i] - start[i]);
        }
        return Math.sqrt(diff / moved);
    }
}
