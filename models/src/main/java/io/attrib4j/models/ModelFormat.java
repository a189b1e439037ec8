package io.attrib4j.models;

/**
 * A model format, found through {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.attrib4j.models.ModelFormat}): one class per format opens its files into the
 * model seam. {@link Models#load} asks the formats in order of {@link #priority()} and the first that
 * {@link #accepts} a spec opens it, unless the spec names its format.
 */
public interface ModelFormat {

    /** The format's name in a spec ({@code torchscript}, {@code onnx}, ...). */
    String name();

    /** One line for people: what the format opens. */
    String description();

    /** Whether this format opens the spec's location (by prefix, extension or directory layout). */
    boolean accepts(ModelSpec spec);

    /** Lower runs first; formats that accept anything (TorchScript) come last. */
    default int priority() {
        return 100;
    }

    /**
     * Opens the model.
     *
     * @throws io.attrib4j.engine.ModelLoadException when the file is missing or unreadable
     * @throws io.attrib4j.engine.InvalidOptionException when the spec has options this format does not take
     */
    LoadedModel load(ModelSpec spec);
}
