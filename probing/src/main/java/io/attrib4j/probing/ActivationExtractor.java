package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LayerModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Extracts one named layer's activations over a data set, as rows {@code [n, d]} for probes: the inputs
 * are run through {@link LayerModel#layerActivation} in batches of {@code batchSize} (only one batch of
 * model input is held at a time), each batch's activation is pooled ({@link Pooling}) at once, and the
 * rows are concatenated.
 *
 * <p>With a cache folder, the rows are stored as {@code .npy} under a key hashing the model's content
 * hash, the layer, the pooling and the data set's hash; a later extraction with the same key reads the
 * file and does not call the model. Files are written to a temporary name and moved into place, so a
 * crash never leaves a truncated cache entry.
 *
 * <p>Defaults: batch size 32, {@link Pooling#flatten()}, no cache.
 */
public final class ActivationExtractor {
    private final int batchSize;
    private final Pooling pooling;
    private final Optional<Path> cacheDir;

    private ActivationExtractor(Builder b) {
        this.batchSize = b.batchSize;
        this.pooling = b.pooling;
        this.cacheDir = Optional.ofNullable(b.cacheDir);
    }

    public static Builder builder() {
        return new Builder();
    }

    public static ActivationExtractor withDefaults() {
        return builder().build();
    }

    public int batchSize() {
        return batchSize;
    }

    public Pooling pooling() {
        return pooling;
    }

    public Optional<Path> cacheDir() {
        return cacheDir;
    }

    /**
     * The pooled activations {@code [n, d]} of {@code layer} for every example of {@code inputs}.
     *
     * @throws UnsupportedModelException when {@code model} cannot be split at layers
     * @throws InvalidInputException for an unknown layer (listing the names) or a pooling the activation cannot take
     * @throws UncheckedIOException when the cache folder cannot be written
     */
    public Tensor extract(ForwardModel model, String layer, ExampleSource inputs) {
        LayerModel layered = requireLayerModel(model);
        if (!layered.layerNames().contains(layer)) {
            throw new InvalidInputException("model '" + model.info().name() + "' has no layer '" + layer
                    + "'; its layers are " + layered.layerNames());
        }
        Optional<Path> cached = cacheDir.map(dir -> dir.resolve(cacheFileName(model, layer, inputs)));
        if (cached.isPresent() && Files.isRegularFile(cached.get())) {
            return Npy.read(cached.get());
        }
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < inputs.size(); from += batchSize) {
            Tensor batch = inputs.batch(from, Math.min(inputs.size(), from + batchSize));
            parts.add(pooling.apply(layered.layerActivation(batch, layer), layer));
        }
        Tensor rows = Tensor.concatRows(parts);
        cached.ifPresent(file -> store(file, rows));
        return rows;
    }

    /** The same extraction for an in-memory batch. */
    public Tensor extract(ForwardModel model, String layer, Tensor inputs) {
        return extract(model, layer, ExampleSource.of(inputs));
    }

    /** {@code model} as a {@link LayerModel}, or an error saying which models can be split. */
    static LayerModel requireLayerModel(ForwardModel model) {
        return model.capability(LayerModel.class).orElseThrow(() -> new UnsupportedModelException("model '" + model.info().name() + "' (" + model.info().format()
                + ") gives no access to its layers; load it as a DJL block, a split TorchScript (--head), ONNX or "
                + "TensorFlow model, or pass precomputed activations"));
    }

    /** {@code <layer>-<sha256(model|layer|pooling|data) first 24 hex>.npy}, the layer made file-safe. */
    String cacheFileName(ForwardModel model, String layer, ExampleSource inputs) {
        String key = String.join("\n", model.info().contentHash(), layer, pooling.describe(), inputs.contentHash());
        return layer.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + io.attrib4j.engine.ContentHash.sha256Hex(key).substring(0, 24) + ".npy";
    }

    private static void store(Path file, Tensor rows) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Npy.write(tmp, rows);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the activation cache " + file, e);
        }
    }

    /** Options of {@link ActivationExtractor}; every one optional. */
    public static final class Builder {
        private int batchSize = 32;
        private Pooling pooling = Pooling.flatten();
        private Path cacheDir;

        private Builder() {}

        /** Examples per model call, at least 1 (default 32). */
        public Builder optBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** How each activation becomes a row (default {@link Pooling#flatten()}). */
        public Builder optPooling(Pooling pooling) {
            this.pooling = pooling;
            return this;
        }

        /** Folder of the {@code .npy} activation cache (default: no cache). */
        public Builder optCacheDir(Path cacheDir) {
            this.cacheDir = cacheDir;
            return this;
        }

        public ActivationExtractor build() {
            if (batchSize < 1) {
                throw new InvalidOptionException("batch size " + batchSize + " must be at least 1; try 32");
            }
            if (pooling == null) {
                throw new InvalidOptionException("pooling is null; pass e.g. Pooling.flatten()");
            }
            return new ActivationExtractor(this);
        }
    }
}
