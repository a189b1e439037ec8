package io.attrib4j.probing;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.ArrayList;
import java.util.List;

/**
 * Probes several layers of one model on the same labels (Alain &amp; Bengio 2016, "Understanding
 * intermediate layers using linear classifier probes"): for each layer, the activations are extracted
 * ({@link ActivationExtractor}, cached when it has a cache folder) and a {@link LinearProbe} is
 * cross-validated on them ({@link CrossValidation}, the same folds for every layer). Shows where in the
 * network a property becomes linearly decodable. One layer's activations are held at a time.
 *
 * <p>Defaults: every layer of the model, {@link LinearProbe#withDefaults()},
 * {@link CrossValidation#withDefaults()}, {@link ActivationExtractor#withDefaults()}.
 */
public final class LayerSweep {
    private final LinearProbe probe;
    private final CrossValidation cv;
    private final ActivationExtractor extractor;
    private final List<String> layers;

    private LayerSweep(Builder b) {
        this.probe = b.probe;
        this.cv = b.cv;
        this.extractor = b.extractor;
        this.layers = b.layers == null ? null : List.copyOf(b.layers);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Probes each layer on {@code labels} (one per example of {@code inputs}).
     *
     * @throws io.attrib4j.engine.UnsupportedModelException when the model cannot be split at layers
     * @throws io.attrib4j.engine.InvalidInputException for an unknown layer, or labels that do not fit the examples
     */
    public LayerSweepResult run(ForwardModel model, ExampleSource inputs, int[] labels) {
        ProbeData.numClasses(labels, inputs.size(), "labels");
        List<String> names = layers != null ? layers : ActivationExtractor.requireLayerModel(model).layerNames();
        List<LayerSweepResult.Row> rows = new ArrayList<>();
        for (String layer : names) {
            Tensor activations = extractor.extract(model, layer, inputs);
            rows.add(new LayerSweepResult.Row(layer, activations.shape().dim(1), cv.run(probe, activations, labels)));
        }
        return new LayerSweepResult(model.info().name(), extractor.pooling().describe(), cv.folds(), rows);
    }

    /** Options of {@link LayerSweep}; every one optional. */
    public static final class Builder {
        private LinearProbe probe = LinearProbe.withDefaults();
        private CrossValidation cv = CrossValidation.withDefaults();
        private ActivationExtractor extractor = ActivationExtractor.withDefaults();
        private List<String> layers;

        private Builder() {}

        /** The probe trained on each layer (default {@link LinearProbe#withDefaults()}). */
        public Builder optProbe(LinearProbe probe) {
            this.probe = probe;
            return this;
        }

        /** The cross-validation (default 5 stratified folds, seed 0). */
        public Builder optCrossValidation(CrossValidation cv) {
            this.cv = cv;
            return this;
        }

        /** How activations are extracted, pooled and cached (default: flatten, batches of 32, no cache). */
        public Builder optExtractor(ActivationExtractor extractor) {
            this.extractor = extractor;
            return this;
        }

        /** The layers to probe, in order (default: all of the model's layers). */
        public Builder optLayers(List<String> layers) {
            this.layers = layers;
            return this;
        }

        public LayerSweep build() {
            if (probe == null || cv == null || extractor == null) {
                throw new InvalidOptionException("probe, cross-validation and extractor must not be null; leave an "
                        + "option unset to get its default");
            }
            if (layers != null && layers.isEmpty()) {
                throw new InvalidOptionException("the layer list is empty; name at least one layer, or leave it unset "
                        + "to probe every layer");
            }
            return new LayerSweep(this);
        }
    }
}
