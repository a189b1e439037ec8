package io.attrib4j.models;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A model as a value: where it is (a file, a directory or {@code zoo:name}) and how to open it. The command
 * line, sweeps, {@code serve} config and Spark jobs all describe models this way, and {@link Models#load}
 * opens them through the {@link ModelFormat} that accepts them.
 *
 * @param location a model file ({@code .pt}, {@code .onnx}, ...), a SavedModel directory, or {@code zoo:name}
 * @param format the format to force ({@code torchscript}, {@code onnx}, {@code onnx-runtime}, {@code tensorflow},
 *     {@code zoo}, ...); {@code null}: the first format that accepts the location
 * @param head a TorchScript model split in two files: the head, taking the output of {@code location}; or null
 * @param attentionOutput the output that holds the attention probabilities (attention rollout), or null
 * @param device where the model runs
 * @param exampleShape the shape of one example, checked before any model call; null when the format knows it
 *     or it is not known
 */
public record ModelSpec(String location, String format, Path head, Integer attentionOutput, ModelDevice device,
        Shape exampleShape) {

    public ModelSpec {
        if (location == null || location.isBlank()) {
            throw new InvalidOptionException("a model spec needs a location: a model file, a SavedModel directory or "
                    + "zoo:NAME (zoo:patch, zoo:stripes, zoo:transformer, zoo:resnet18)");
        }
        if (attentionOutput != null && attentionOutput < 1) {
            throw new InvalidOptionException("attention output " + attentionOutput + " is not an extra output; give "
                    + "the index (1 or more) of the output that holds the attention probabilities (0 is the logits)");
        }
        device = device == null ? ModelDevice.CPU : device;
        format = format == null || format.isBlank() ? null : format.toLowerCase(Locale.ROOT);
    }

    /** The model at {@code location} with every option at its default. */
    public static ModelSpec of(String location) {
        return new ModelSpec(location, null, null, null, ModelDevice.CPU, null);
    }

    public ModelSpec withFormat(String format) {
        return new ModelSpec(location, format, head, attentionOutput, device, exampleShape);
    }

    public ModelSpec withHead(Path head) {
        return new ModelSpec(location, format, head, attentionOutput, device, exampleShape);
    }

    public ModelSpec withAttentionOutput(Integer attentionOutput) {
        return new ModelSpec(location, format, head, attentionOutput, device, exampleShape);
    }

    public ModelSpec withDevice(ModelDevice device) {
        return new ModelSpec(location, format, head, attentionOutput, device, exampleShape);
    }

    public ModelSpec withExampleShape(Shape exampleShape) {
        return new ModelSpec(location, format, head, attentionOutput, device, exampleShape);
    }

    /** The name after {@code zoo:}, when the location is a zoo model. */
    public Optional<String> zooName() {
        return location.startsWith("zoo:") ? Optional.of(location.substring(4)) : Optional.empty();
    }

    /** The location as a file path (for formats that read files). */
    public Path path() {
        return Path.of(location);
    }

    /** True when the location's file name ends with {@code suffix}, ignoring case. */
    public boolean hasSuffix(String suffix) {
        return location.toLowerCase(Locale.ROOT).endsWith(suffix);
    }
}
