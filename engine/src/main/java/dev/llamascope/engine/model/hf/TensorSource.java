package dev.llamascope.engine.model.hf;

import java.util.Map;

/** The named tensors of a checkpoint (safetensors files or a pytorch_model.bin), with the file each came from. */
public record TensorSource(Map<String, HfTensor> tensors, Map<String, java.nio.file.Path> files) {
}
