package dev.llamascope.engine.cuda;

/** What one training step reports: the mean loss of the batch and the global gradient norm before clipping. */
public record StepResult(float loss, float gradNorm) {}
