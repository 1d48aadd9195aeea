package dev.llamascope.engine.model;

/**
 * How to load a model.
 *
 * @param quantize      quantize fp32/fp16/bf16 matrices in memory on load: null (keep as stored) or "q8_0"
 * @param contextLength the context (KV cache) length to use instead of the one the file states, 0 to keep it;
 *                      GGUF files often state less than the model was trained with (llama2.c's converter writes 128)
 */
public record LoadOptions(String quantize, int contextLength) {
    public static final LoadOptions DEFAULT = new LoadOptions(null, 0);

    public LoadOptions {
        if (quantize != null && !quantize.equals("q8_0"))
            throw new IllegalArgumentException("unknown in-memory quantization '" + quantize + "' (known: q8_0)");
        if (contextLength < 0 || contextLength > ModelConfig.MAX_SEQ)
            throw new IllegalArgumentException("context length " + contextLength + " is out of range (0.." + ModelConfig.MAX_SEQ + ")");
    }

    public LoadOptions(String quantize) {
        this(quantize, 0);
    }

    public LoadOptions withQuantize(String q) {
        return new LoadOptions(q, contextLength);
    }

    public LoadOptions withContextLength(int n) {
        return new LoadOptions(quantize, n);
    }
}
