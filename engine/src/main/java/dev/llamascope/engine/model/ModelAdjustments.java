package dev.llamascope.engine.model;

import dev.llamascope.engine.tensor.F16Matrix;
import dev.llamascope.engine.tensor.F32Matrix;
import dev.llamascope.engine.tensor.GgmlQuantizer;
import dev.llamascope.engine.tensor.Matrix;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** What {@link LoadOptions} change in a loaded model, whatever its format: the context length and quantization. */
public final class ModelAdjustments {
    private ModelAdjustments() {}

    public static LlamaModel apply(LlamaModel m, LoadOptions o) {
        if (o.contextLength() > 0 && o.contextLength() != m.config().seqLen()) {
            m = new LlamaModel(m.config().withSeqLen(o.contextLength()), m.format(), m.source(), m.tokenEmbedding(),
                    m.layers(), m.finalNorm(), m.classifier(), m.arena());
        }
        if ("q8_0".equals(o.quantize())) m = quantizeQ8_0(m);
        return m;
    }

    /**
     * Replaces every fp32/fp16/bf16 matrix by a Q8_0 copy on the heap (ggml's reference rounding); matrices already
     * quantized stay. The mapping of the file stays open with the model (norms and quantized matrices may use it).
     */
    public static LlamaModel quantizeQ8_0(LlamaModel m) {
        Map<Matrix, Matrix> done = new IdentityHashMap<>();
        List<LayerWeights> layers = new ArrayList<>();
        for (LayerWeights l : m.layers()) {
            layers.add(new LayerWeights(l.attnNorm(), q8(l.wq(), done), q8(l.wk(), done), q8(l.wv(), done), q8(l.wo(), done),
                    l.ffnNorm(), q8(l.w1(), done), q8(l.w2(), done), q8(l.w3(), done)));
        }
        return new LlamaModel(m.config(), m.format() + " (Q8_0 in memory)", m.source(), q8(m.tokenEmbedding(), done),
                layers, m.finalNorm(), q8(m.classifier(), done), m.arena());
    }

    private static Matrix q8(Matrix m, Map<Matrix, Matrix> done) {
        if (!(m instanceof F32Matrix) && !(m instanceof F16Matrix)) return m;
        if (m.cols() % 32 != 0) return m; // Q8_0 needs rows of whole blocks; such a matrix stays as it is
        return done.computeIfAbsent(m, GgmlQuantizer::toQ8_0);
    }
}
