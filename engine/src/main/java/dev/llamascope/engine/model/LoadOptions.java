package dev.llamascope.engine.model;

/**
 * How to load a model.
 *
 * @param quantize quantize fp32/fp16 matrices in memory on load: null (keep as stored) or "q8_0"
 */
public record LoadOptions(String quantize) {
    public static final LoadOptions DEFAULT = new LoadOptions(null);
}
