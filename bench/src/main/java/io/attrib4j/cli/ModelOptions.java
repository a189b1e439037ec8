package io.attrib4j.cli;

import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import io.attrib4j.models.ModelDevice;
import io.attrib4j.models.ModelSpec;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every model-reading command shares, as one mixin: the model, its head file, where the model runs
 * and where the attribution arithmetic runs. {@link #spec} turns them into a {@link ModelSpec}; the library's
 * {@link io.attrib4j.models.Models} opens it.
 */
final class ModelOptions {

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "TorchScript file (.pt), ONNX file (.onnx), TensorFlow SavedModel directory, or a built-in "
                    + "model: zoo:patch, zoo:stripes, zoo:transformer, zoo:resnet18.")
    String model;

    @Option(names = "--head", paramLabel = "head.pt",
            description = "With --model features.pt: the TorchScript head, splitting the model at the layer 'features'.")
    Path head;

    @Option(names = "--model-format", paramLabel = "FORMAT",
            description = "Force a model format: torchscript, onnx, onnx-runtime (forward only), tensorflow, zoo.")
    String format;

    @Option(names = "--backend", paramLabel = "cpu|cuda|auto", description = "Backend for the attribution arithmetic.")
    String backend;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|gpu|auto",
            description = "Where the model runs: TorchScript files and zoo:resnet18 can run on the GPU (a build with "
                    + "-Pgpu); default: ${DEFAULT-VALUE}.")
    String device;

    /** The model spec, with the attention output of a transformer that returns it (or null). */
    ModelSpec spec(Integer attentionOutput) {
        return ModelSpec.of(model).withFormat(format).withHead(head).withAttentionOutput(attentionOutput)
                .withDevice(ModelDevice.parse(device));
    }

    /** The --backend choice (created once and shared, so every call gives the same backend). */
    Backend backend() {
        return Backends.get(backend == null ? "auto" : backend);
    }
}
