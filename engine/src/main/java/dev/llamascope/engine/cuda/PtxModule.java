package dev.llamascope.engine.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One PTX text (the kernels of one .cu file, compiled by build-ptx.sh and shipped as a resource) with what we need
 * to know about it without a GPU: its ISA version, target and kernel entry points.
 */
public record PtxModule(String file, String text, String version, String target, Map<String, KernelSignature> kernels) {
    /** The kernel sources, one PTX resource each (engine/src/main/cuda/NAME.cu -> ptx/NAME.ptx). */
    public static final List<String> FILES = List.of("attention", "crossentropy", "elementwise", "embedding", "matmul",
            "matmul_tf32", "optimizer", "rmsnorm", "rope", "swiglu");

    static final String RESOURCE_DIR = "/dev/llamascope/engine/cuda/ptx/";

    private static final Pattern VERSION = Pattern.compile("^\\.version\\s+(\\d+\\.\\d+)", Pattern.MULTILINE);
    private static final Pattern TARGET = Pattern.compile("^\\.target\\s+(\\S+)", Pattern.MULTILINE);
    private static final Pattern ENTRY = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param\\s+(\\.\\w+)\\s+(\\w+)");

    /** Reads and parses a shipped module. */
    public static PtxModule load(String name) {
        String res = RESOURCE_DIR + name + ".ptx";
        try (InputStream in = PtxModule.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("the PTX resource " + res + " is missing from the jar (run engine/src/main/cuda/build-ptx.sh)");
            return parse(name + ".ptx", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The compute capability (10 * major + minor) the module's target needs: 75 for {@code sm_75}, 80 for
     * {@code sm_80} (the TF32 tensor-core GEMM). A GPU below it cannot load the module.
     */
    public int computeCapability() {
        Matcher m = Pattern.compile("sm_(\\d+)").matcher(target);
        if (!m.find()) throw new IllegalStateException(file + ": unexpected target " + target);
        return Integer.parseInt(m.group(1));
    }

    /** Every shipped module. */
    public static List<PtxModule> loadAll() {
        List<PtxModule> all = new ArrayList<>();
        for (String f : FILES) all.add(load(f));
        return all;
    }

    public static PtxModule parse(String file, String text) {
        Matcher v = VERSION.matcher(text), t = TARGET.matcher(text);
        if (!v.find()) throw new IllegalArgumentException(file + ": no .version directive, not PTX");
        if (!t.find()) throw new IllegalArgumentException(file + ": no .target directive");
        Map<String, KernelSignature> kernels = new LinkedHashMap<>();
        Matcher e = ENTRY.matcher(text);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<List<PtxParam>> params = new ArrayList<>();
        while (e.find()) {
            List<PtxParam> ps = new ArrayList<>();
            Matcher p = PARAM.matcher(e.group(2));
            while (p.find()) ps.add(PtxParam.parse(p.group(1)));
            names.add(e.group(1));
            params.add(ps);
            spans.add(new int[]{e.end()});
        }
        for (int i = 0; i < names.size(); i++) {
            int from = spans.get(i)[0], to = i + 1 < names.size() ? text.lastIndexOf(".entry", spans.get(i + 1)[0]) : text.length();
            String body = text.substring(from, Math.max(from, to));
            boolean sync = body.contains("bar.sync") || body.contains("barrier.sync") || body.contains("shfl.sync");
            kernels.put(names.get(i), new KernelSignature(names.get(i), params.get(i), sync));
        }
        return new PtxModule(file, text, v.group(1), t.group(1), Map.copyOf(kernels));
    }

    /**
     * The oldest CUDA driver version (as cuDriverGetVersion reports it: 1000 * major + 10 * minor) that accepts this
     * PTX ISA version. PTX 9.0 came with CUDA 13.0 (driver 580); 8.0..8.5 with CUDA 12.0..12.5, 8.6 with 12.7, 8.7 with
     * 12.8, 8.8 with 12.9; 7.x with CUDA 11.x. Newer ISA versions are assumed to follow 9.x's pattern.
     */
    public int minimumDriverVersion() {
        String[] p = version.split("\\.");
        int major = Integer.parseInt(p[0]), minor = Integer.parseInt(p[1]);
        if (major >= 9) return 13000 + 1000 * (major - 9) + 10 * minor;
        if (major == 8) return minor <= 5 ? 12000 + 10 * minor : 12010 + 10 * minor;
        if (major == 7) return 11000 + 10 * minor;
        return 10000;
    }

    /** "13.0" for 13000. */
    public static String cudaVersion(int driverVersion) {
        return driverVersion / 1000 + "." + (driverVersion % 1000) / 10;
    }
}
