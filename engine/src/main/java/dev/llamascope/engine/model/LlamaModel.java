package dev.llamascope.engine.model;

import dev.llamascope.engine.tensor.Matrix;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A loaded Llama-2 model: its config and its weights, whatever file format they came from. Closing it releases
 * the memory mapping; a closed model must not be used.
 *
 * @param format      a short human name of the source format, e.g. "llama2.c v0"
 * @param source      the file or folder it was read from
 * @param arena       owns the mapping (null for weights that need no release)
 */
public record LlamaModel(ModelConfig config, String format, Path source, Matrix tokenEmbedding,
                         List<LayerWeights> layers, float[] finalNorm, Matrix classifier, Arena arena)
        implements AutoCloseable {

    public LlamaModel {
        Objects.requireNonNull(config);
        layers = List.copyOf(layers);
        if (layers.size() != config.nLayers()) throw new IllegalArgumentException("layer count mismatch");
    }

    /** The storage types of the matrices, e.g. "F32" or "Q8(gs64)" or "Q4_K,Q6_K". */
    public String weightTypes() {
        java.util.LinkedHashSet<String> types = new java.util.LinkedHashSet<>();
        types.add(tokenEmbedding.typeName());
        for (LayerWeights l : layers) {
            for (Matrix m : List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w2(), l.w3())) types.add(m.typeName());
        }
        types.add(classifier.typeName());
        return String.join(",", types);
    }

    /** Bytes of all weights in their storage (the shared classifier counted once). */
    public long weightBytes() {
        long b = tokenEmbedding.byteSize() + (long) finalNorm.length * 4;
        for (LayerWeights l : layers) {
            b += (long) (l.attnNorm().length + l.ffnNorm().length) * 4;
            for (Matrix m : List.of(l.wq(), l.wk(), l.wv(), l.wo(), l.w1(), l.w2(), l.w3())) b += m.byteSize();
        }
        if (classifier != tokenEmbedding) b += classifier.byteSize();
        return b;
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
