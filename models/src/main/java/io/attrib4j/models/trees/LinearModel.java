package io.attrib4j.models.trees;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.LinearWeights;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.OutputTransform;

/**
 * A linear or logistic model (ONNX {@code LinearRegressor} / {@code LinearClassifier}) as a model, plain Java and
 * thread-safe. {@link #forward} gives {@code transform(b + W x)}, {@code [rows, outputs]} (the probability for a
 * classifier); {@link #margins()} answers {@code b + W x}, the units Linear SHAP explains.
 */
public final class LinearModel implements ForwardModel, LinearWeights {

    /**
     * The coefficients.
     *
     * @param weights {@code [outputs * features]}, row-major by output
     * @param intercepts one per output
     * @param outputs number of outputs
     * @param features number of features
     * @param transform margin to prediction
     */
    public record Weights(double[] weights, double[] intercepts, int outputs, int features,
            OutputTransform transform) {
        public Weights {
            weights = weights.clone();
            intercepts = intercepts.clone();
            if (weights.length != outputs * features || intercepts.length != outputs) {
                throw new IllegalArgumentException("need outputs * features weights and one intercept per output");
            }
        }
    }

    private final Weights w;
    private final ModelInfo info;
    private final boolean margins;

    LinearModel(Weights w, ModelInfo info, boolean margins) {
        this.w = w;
        this.info = info.withExampleShape(Shape.of(w.features()));
        this.margins = margins;
    }

    /** A model over {@code weights} with the given name, format and content hash. */
    public static LinearModel of(Weights weights, String name, String format, String contentHash) {
        return new LinearModel(weights, ModelInfo.of(name, format, contentHash), false);
    }

    /** This model answering margins {@code b + W x}. */
    public LinearModel margins() {
        return margins ? this : new LinearModel(w, info, true);
    }

    @Override
    public int outputs() {
        return w.outputs();
    }

    @Override
    public int features() {
        return w.features();
    }

    @Override
    public double weight(int output, int feature) {
        return w.weights[output * w.features() + feature];
    }

    @Override
    public double intercept(int output) {
        return w.intercepts[output];
    }

    @Override
    public OutputTransform transform() {
        return w.transform();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tensor forward(Tensor input) {
        int f = w.features();
        TreeModels.checkWidth(input, f, info.name());
        int n = input.batch();
        int k = w.outputs();
        float[] x = input.data();
        float[] out = new float[n * k];
        double[] m = new double[k];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                double s = w.intercepts[o];
                for (int j = 0; j < f; j++) {
                    s += w.weights[o * f + j] * x[i * f + j];
                }
                m[o] = s;
            }
            if (!margins) {
                w.transform().apply(m);
            }
            for (int o = 0; o < k; o++) {
                out[i * k + o] = (float) m[o];
            }
        }
        return Tensor.of(out, n, k);
    }

    @Override
    public void close() {
        // plain Java: nothing to release
    }
}
