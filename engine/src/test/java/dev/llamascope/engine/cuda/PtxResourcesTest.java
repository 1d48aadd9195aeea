package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The shipped PTX: present, parseable, built for compute_75, with every kernel the Java side launches. */
class PtxResourcesTest {
    static final Set<String> KERNELS = Set.of("embedding_forward", "embedding_backward", "rmsnorm_forward", "rmsnorm_backward",
            "rmsnorm_dgain", "sum_partials_into", "rope_forward", "rope_backward", "heads_from_tokens",
            "tokens_from_heads", "attention_softmax_causal", "attention_softmax_backward", "attention_dropout_probs",
            "swiglu_forward", "swiglu_backward", "residual_add", "dropout_backward", "crossentropy_forward_backward",
            "sum_scaled", "sumsq_partial", "gradnorm_finish", "adamw_update", "matmul_tiled", "matmul_tf32");

    @Test
    void everyModuleIsPtx90ForSm75WithItsKernels() {
        Set<String> all = new TreeSet<>();
        for (PtxModule m : PtxModule.loadAll()) {
            // nvcc 13 emits PTX ISA 9.0: it needs a CUDA 13 driver (580+); the devices probe reports older ones.
            assertEquals("9.0", m.version(), m.file());
            // every module targets Turing, but the TF32 tensor-core GEMM, which needs Ampere
            String target = m.file().equals("matmul_tf32.ptx") ? "sm_80" : "sm_75";
            assertEquals(target, m.target(), m.file() + " is built for " + target);
            assertEquals(Integer.parseInt(target.substring(3)), m.computeCapability(), m.file());
            assertEquals(13000, m.minimumDriverVersion());
            assertFalse(m.kernels().isEmpty(), m.file() + " has kernels");
            all.addAll(m.kernels().keySet());
        }
        assertEquals(new TreeSet<>(KERNELS), all);
    }

    @Test
    void signaturesAreReadFromTheEntries() {
        KernelSignature mm = PtxModule.load("matmul").kernels().get("matmul_tiled");
        assertEquals(List.of(PtxParam.U64, PtxParam.U64, PtxParam.U64, PtxParam.U32, PtxParam.U32, PtxParam.U32, PtxParam.U32,
                PtxParam.U32, PtxParam.U32, PtxParam.U32, PtxParam.U32, PtxParam.F32, PtxParam.F32, PtxParam.U64, PtxParam.U64,
                PtxParam.U64), mm.params());
        assertTrue(mm.synchronizes(), "uses __syncthreads");
        KernelSignature emb = PtxModule.load("embedding").kernels().get("embedding_forward");
        assertEquals(List.of(PtxParam.U64, PtxParam.U64, PtxParam.U64, PtxParam.U32, PtxParam.U32, PtxParam.F32, PtxParam.U64), emb.params());
        assertFalse(emb.synchronizes());
        assertTrue(PtxModule.load("attention").kernels().get("attention_softmax_causal").synchronizes(), "uses warp shuffles");
    }

    /** Every kernel name the Java code launches is a kernel of the PTX (a typo would only show on a GPU otherwise). */
    @Test
    void theJavaSideLaunchesOnlyShippedKernels() throws Exception {
        Path src = EmuBuild.moduleDir().resolve("src/main/java/dev/llamascope/engine/cuda");
        Pattern launch = Pattern.compile("(?:launch|elementwise)\\(\\s*\"(\\w+)\"");
        Set<String> used = new HashSet<>();
        for (String f : List.of("CudaTrainer.java", "GpuAttention.java")) {
            Matcher m = launch.matcher(Files.readString(src.resolve(f)));
            while (m.find()) used.add(m.group(1));
        }
        // KernelMatmul launches one of its two GEMMs by a variable
        Matcher gemm = Pattern.compile("\"(matmul_\\w+)\"").matcher(Files.readString(src.resolve("KernelMatmul.java")));
        while (gemm.find()) used.add(gemm.group(1));
        assertEquals(KERNELS, used, "every shipped kernel is launched (none is dead), and only those");
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(KERNELS);
        assertTrue(unknown.isEmpty(), "launched but not in the PTX: " + unknown);
    }

    @Test
    void minimumDriverFollowsThePtxIsa() {
        assertEquals(12080, PtxModule.parse("x", ".version 8.7\n.target sm_75\n").minimumDriverVersion());
        assertEquals(12050, PtxModule.parse("x", ".version 8.5\n.target sm_75\n").minimumDriverVersion());
        assertEquals(11080, PtxModule.parse("x", ".version 7.8\n.target sm_75\n").minimumDriverVersion());
        assertEquals("13.0", PtxModule.cudaVersion(13000));
        assertEquals("12.9", PtxModule.cudaVersion(12090));
    }

    @Test
    void garbageIsNotPtx() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PtxModule.parse("bad.ptx", "hello"));
        assertTrue(e.getMessage().contains("bad.ptx") && e.getMessage().contains("not PTX"), e.getMessage());
    }
}
