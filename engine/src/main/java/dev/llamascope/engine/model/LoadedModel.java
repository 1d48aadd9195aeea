package dev.llamascope.engine.model;

import dev.llamascope.engine.tokenizer.Tokenizer;

/** A model with the tokenizer that goes with it. Closing it releases the model's mapping. */
public record LoadedModel(LlamaModel model, Tokenizer tokenizer) implements AutoCloseable {
    @Override
    public void close() {
        model.close();
    }
}
