// Paired A/B decode benchmark for a noisy machine: loads two builds of the engine into one JVM (one class loader
// each) and alternates short decode rounds between them, so both see the same background load; reports the median
// of the per-pair speed ratios. Not a test, not part of the build.
//
//   java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
//        docs/inspect/PairedDecodeBench.java BEFORE.jar AFTER.jar MODEL.bin [pairs=40] [steps=64] [threads=2]
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

public class PairedDecodeBench {
    record Engine(String name, Object transformer, Object config, MethodHandle forward, MethodHandle newCache) {}

    static Engine load(String name, String jar, Path model, int threads) throws Throwable {
        ClassLoader cl = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, PairedDecodeBench.class.getClassLoader().getParent());
        Class<?> loader = cl.loadClass("dev.llamascope.engine.model.ModelLoader");
        Object m = loader.getMethod("loadWeights", Path.class).invoke(null, model);
        Object pool = cl.loadClass("dev.llamascope.engine.tensor.ComputePool").getConstructor(int.class).newInstance(threads);
        Class<?> tc = cl.loadClass("dev.llamascope.engine.inference.Transformer");
        Object t = tc.getConstructor(m.getClass(), pool.getClass()).newInstance(m, pool);
        Class<?> cache = cl.loadClass("dev.llamascope.engine.inference.KvCache");
        Object config = m.getClass().getMethod("config").invoke(m);
        MethodHandles.Lookup lk = MethodHandles.publicLookup();
        MethodHandle fwd = lk.findVirtual(tc, "forward", MethodType.methodType(float[].class, cache, int.class, int.class));
        MethodHandle nc = lk.findConstructor(cache, MethodType.methodType(void.class, config.getClass()));
        return new Engine(name, t, config, fwd, nc);
    }

    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    /** CPU time of the last round on this thread (with 1 thread, all of the decode's work), in nanoseconds. */
    static long lastCpu;

    /** Greedy decode of `steps` tokens from BOS; returns tokens per second (wall clock). */
    static double round(Engine e, int steps) throws Throwable {
        Object cache = e.newCache.invoke(e.config);
        int token = 1;
        long c0 = CPU.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        for (int pos = 0; pos < steps; pos++) {
            float[] l = (float[]) e.forward.invoke(e.transformer, cache, token, pos);
            int best = 0;
            for (int i = 1; i < l.length; i++) if (l[i] > l[best]) best = i;
            token = best;
        }
        long wall = System.nanoTime() - t0;
        lastCpu = CPU.getCurrentThreadCpuTime() - c0;
        return steps * 1e9 / wall;
    }

    public static void main(String[] a) throws Throwable {
        int pairs = a.length > 3 ? Integer.parseInt(a[3]) : 40, steps = a.length > 4 ? Integer.parseInt(a[4]) : 64;
        int threads = a.length > 5 ? Integer.parseInt(a[5]) : 2;
        Path model = Path.of(a[2]);
        Engine before = load("before", a[0], model, threads), after = load("after", a[1], model, threads);
        for (int i = 0; i < 5; i++) { round(before, steps); round(after, steps); } // JIT warm-up of both
        double[] b = new double[pairs], f = new double[pairs], ratio = new double[pairs], cpuRatio = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            boolean beforeFirst = i % 2 == 0; // alternate the order inside a pair too
            long cb, cf;
            if (beforeFirst) {
                b[i] = round(before, steps); cb = lastCpu;
                f[i] = round(after, steps); cf = lastCpu;
            } else {
                f[i] = round(after, steps); cf = lastCpu;
                b[i] = round(before, steps); cb = lastCpu;
            }
            ratio[i] = f[i] / b[i];
            cpuRatio[i] = (double) cb / cf; // speed ratio from CPU time: after/before
        }
        System.out.printf(Locale.ROOT, "pairs %d, %d decode steps each, %d threads%n", pairs, steps, threads);
        System.out.printf(Locale.ROOT, "before: median %.1f tok/s%n", median(b));
        System.out.printf(Locale.ROOT, "after:  median %.1f tok/s%n", median(f));
        System.out.printf(Locale.ROOT, "after/before speed, wall clock: median of pair ratios %.4f (quartiles %.4f .. %.4f)%n", median(ratio), quantile(ratio, 0.25), quantile(ratio, 0.75));
        if (threads == 1)
            System.out.printf(Locale.ROOT, "after/before speed, CPU time of the decoding thread: median %.4f (quartiles %.4f .. %.4f)%n",
                    median(cpuRatio), quantile(cpuRatio, 0.25), quantile(cpuRatio, 0.75));
        System.exit(0);
    }

    static double median(double[] v) { return quantile(v, 0.5); }

    static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }
}
