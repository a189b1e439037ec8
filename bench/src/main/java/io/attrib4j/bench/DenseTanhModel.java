package io.attrib4j.bench;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A pure-Java model for timing attribution methods without a deep-learning engine: one dense tanh
 * layer on the flattened example, {@code F(x) = V tanh(U x + a)}, in float, seeded random weights.
 * Its input gradient for the seed {@code s} of a row is {@code U^T ((1 - h^2) * (V^T s))} with
 * {@code h = tanh(U x + a)}. Rows run in parallel on the common fork-join pool.
 */
final class DenseTanhModel implements GradientModel {
    private final ModelInfo info;
    private final int inputs;
    private final int hidden;
    private final int outputs;
    private final float[] u; // [hidden][inputs], row-major
    private final float[] a;
    private final float[] v; // [outputs][hidden], row-major

    DenseTanhModel(Shape exampleShape, int hidden, int outputs, long seed) {
        this.info = ModelInfo.of("dense-tanh-" + hidden, "java", "dense-tanh-" + hidden + "-" + seed)
                .withExampleShape(exampleShape);
        this.inputs = exampleShape.size();
        this.hidden = hidden;
        this.outputs = outputs;
        SplittableRandom r = new SplittableRandom(seed);
        double scale = 1 / Math.sqrt(inputs);
        this.u = uniform(r, hidden * inputs, scale);
        this.a = uniform(r, hidden, 0.5);
        this.v = uniform(r, outputs * hidden, 1);
    }

    private static float[] uniform(SplittableRandom r, int n, double scale) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (scale * r.nextDouble(-1, 1));
        }
        return w;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public Tensor forward(Tensor input) {
        check(input);
        float[] y = new float[input.batch() * outputs];
        IntStream.range(0, input.batch()).parallel().forEach(row -> {
            float[] h = hiddenLayer(input.data(), row);
            for (int k = 0; k < outputs; k++) {
                float sum = 0;
                for (int i = 0; i < hidden; i++) {
                    sum += v[k * hidden + i] * h[i];
                }
                y[row * outputs + k] = sum;
            }
        });
        return Tensor.of(y, Shape.of(input.batch(), outputs));
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        Tensor output = forward(input);
        float[] seed = target.seed(output).data();
        float[] g = new float[input.size()];
        IntStream.range(0, input.batch()).parallel().forEach(row -> {
            float[] h = hiddenLayer(input.data(), row);
            for (int i = 0; i < hidden; i++) {
                float back = 0;
                for (int k = 0; k < outputs; k++) {
                    back += seed[row * outputs + k] * v[k * hidden + i];
                }
                back *= 1 - h[i] * h[i];
                for (int j = 0; j < inputs; j++) {
                    g[row * inputs + j] += back * u[i * inputs + j];
                }
            }
        });
        return new ModelGradients(output, Tensor.of(g, input.shape()));
    }

    /** {@code tanh(U x + a)} for one row of the batch. */
    private float[] hiddenLayer(float[] x, int row) {
        float[] h = new float[hidden];
        int offset = row * inputs;
        for (int i = 0; i < hidden; i++) {
            float sum = a[i];
            for (int j = 0; j < inputs; j++) {
                sum += u[i * inputs + j] * x[offset + j];
            }
            h[i] = (float) Math.tanh(sum);
        }
        return h;
    }

    private void check(Tensor input) {
        if (input.shape().rank() < 2 || input.rowSize() != inputs) {
            throw new InvalidInputException("the dense tanh model takes examples of " + inputs
                    + " values, got shape " + input.shape() + "; reshape the input to [n, " + inputs + "]");
        }
    }

    @Override
    public void close() {
        // nothing native
    }
}
