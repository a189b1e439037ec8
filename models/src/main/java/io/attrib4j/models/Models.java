package io.attrib4j.models;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens models from {@link ModelSpec}s through the {@link ModelFormat}s on the class path
 * ({@link ServiceLoader}): the command line, sweeps, {@code serve} and Spark jobs all load models here, with one
 * set of names.
 *
 * <pre>
 * try (LoadedModel m = Models.load(ModelSpec.of("resnet.onnx"))) { ... m.model() ... }
 * </pre>
 */
public final class Models {
    private static volatile List<ModelFormat> formats;

    private Models() {}

    /**
     * Opens the model {@code spec} describes: with the format it names, or the first format (by priority) that
     * accepts its location. A given example shape replaces the one the format knows.
     */
    public static LoadedModel load(ModelSpec spec) {
        ModelFormat format = spec.format() != null ? format(spec.format())
                : formats().stream().filter(f -> f.accepts(spec)).findFirst()
                        .orElseThrow(() -> new InvalidOptionException("no model format opens '" + spec.location()
                                + "'; the formats are " + names()));
        LoadedModel loaded = format.load(spec);
        if (spec.exampleShape() == null) {
            return loaded;
        }
        return new LoadedModel(new WithExampleShape(loaded.model(), loaded.model().info().withExampleShape(
                spec.exampleShape())), loaded.classNames(), loaded.vocabulary());
    }

    /** Opens {@code location} (a file, a directory or {@code zoo:name}) with every option at its default. */
    public static LoadedModel load(String location) {
        return load(ModelSpec.of(location));
    }

    /** The format named {@code name}. */
    public static ModelFormat format(String name) {
        return formats().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidOptionException("unknown model format '" + name + "'; the formats are "
                        + names()));
    }

    /** The formats, in the order they are asked. */
    public static List<ModelFormat> formats() {
        List<ModelFormat> f = formats;
        if (f == null) {
            List<ModelFormat> found = new ArrayList<>();
            ServiceLoader.load(ModelFormat.class, Models.class.getClassLoader()).forEach(found::add);
            found.sort(Comparator.comparingInt(ModelFormat::priority));
            formats = f = List.copyOf(found);
        }
        return f;
    }

    private static List<String> names() {
        return formats().stream().map(ModelFormat::name).toList();
    }

    /** A model with the example shape its spec gives; every capability is the wrapped model's. */
    private record WithExampleShape(ForwardModel model, ModelInfo info) implements ForwardModel {
        @Override
        public Tensor forward(Tensor input) {
            return model.forward(input);
        }

        @Override
        public <C> Optional<C> capability(Class<C> type) {
            return type.isInstance(this) ? Optional.of(type.cast(this)) : model.capability(type);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
