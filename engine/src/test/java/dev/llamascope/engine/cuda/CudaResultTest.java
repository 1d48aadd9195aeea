package dev.llamascope.engine.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CudaResultTest {
    @Test
    void theCodesUsersMeetHaveNamesAndAdvice() {
        assertEquals("CUDA_ERROR_UNSUPPORTED_PTX_VERSION", CudaResult.name(222));
        assertTrue(CudaResult.sentence(222).contains("driver is too old") && CudaResult.sentence(222).contains("580"), CudaResult.sentence(222));
        assertEquals("CUDA_ERROR_OUT_OF_MEMORY", CudaResult.name(2));
        assertTrue(CudaResult.sentence(2).contains("smaller batch"), CudaResult.sentence(2));
        assertEquals("CUDA_ERROR_NO_DEVICE", CudaResult.name(100));
        assertTrue(CudaResult.sentence(100).contains("no CUDA-capable GPU"));
        assertEquals("CUDA_ERROR_STUB_LIBRARY", CudaResult.name(34));
        assertTrue(CudaResult.sentence(34).contains("stub"));
        assertEquals("CUDA_ERROR_NO_BINARY_FOR_GPU", CudaResult.name(209));
        assertEquals("CUDA_ERROR_INVALID_PTX", CudaResult.name(218));
        assertEquals("CUDA_ERROR_SYSTEM_DRIVER_MISMATCH", CudaResult.name(803));
        assertEquals("CUDA_ERROR_ILLEGAL_ADDRESS", CudaResult.name(700));
        assertEquals("CUDA_SUCCESS", CudaResult.name(0));
    }

    @Test
    void everyCodeHasAUniqueNameAndASentence() {
        Set<String> names = new HashSet<>();
        for (CudaResult.Info i : CudaResult.all().values()) {
            assertTrue(i.name().startsWith("CUDA_"), i.name());
            assertTrue(names.add(i.name()), "duplicate " + i.name());
            assertTrue(i.sentence().endsWith("."), i.name() + ": " + i.sentence());
        }
        assertTrue(CudaResult.all().size() >= 100, "the whole CUresult enum of CUDA 13: " + CudaResult.all().size());
    }

    @Test
    void unknownCodesStillSayTheirNumber() {
        assertEquals("CUDA_ERROR_4242", CudaResult.name(4242));
        assertTrue(CudaResult.sentence(4242).contains("4242"));
    }

    @Test
    void exceptionsNameTheCallTheCodeAndTheAdvice() {
        CudaException e = CudaException.of("cuModuleLoadDataEx", 222);
        assertEquals(222, e.code());
        assertEquals("cuModuleLoadDataEx failed: CUDA_ERROR_UNSUPPORTED_PTX_VERSION (222): " + CudaResult.sentence(222), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void cublasStatusesHaveNames() {
        assertEquals("CUBLAS_STATUS_ALLOC_FAILED", Cublas.status(3).get(0));
        CudaException e = assertThrowsCublas(14);
        assertTrue(e.getMessage().startsWith("cublasSgemm_v2 failed: CUBLAS_STATUS_INTERNAL_ERROR (14)"), e.getMessage());
    }

    private static CudaException assertThrowsCublas(int status) {
        try {
            Cublas.check("cublasSgemm_v2", status);
        } catch (CudaException e) {
            return e;
        }
        throw new AssertionError("no exception for status " + status);
    }
}
