package io.attrib4j.testkit;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Pure-Java models with hand-written gradients, for axiom tests: no engine, exact arithmetic in double,
 * and a log of every call so tests can prove batching.
 */
public final class ToyModels {
    private ToyModels() {}

    /** F(x) = W x + c on flattened examples: outputs [n, C]. The gradient of output t is row t of W. */
    public static Toy linear(double[][] w, double[] c) {
        int d = w[0].length;
        return new Toy("linear", d, w.length) {
            @Override
            double[] out(double[] x) {
                double[] y = c.clone();
                for (int k = 0; k < y.length; k++) {
                    for (int j = 0; j < d; j++) {
                        y[k] += w[k][j] * x[j];
                    }
                }
                return y;
            }

            @Override
            double[] grad(double[] x, double[] seed) {
                double[] g = new double[d];
                for (int k = 0; k < seed.length; k++) {
                    for (int j = 0; j < d; j++) {
                        g[j] += seed[k] * w[k][j];
                    }
                }
                return g;
            }
        };
    }

    /**
     * A one-hidden-layer tanh network F(x) = V tanh(U x + a) + c with seeded random weights: smooth,
     * non-linear, with an exact gradient.
     */
    public static Toy tanhMlp(int inputs, int hidden, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] u = new double[hidden][inputs];
        double[][] v = new double[outputs][hidden];
        double[] a = new double[hidden];
        double[] c = new double[outputs];
        for (double[] row : u) {
            for (int j = 0; j < inputs; j++) {
                row[j] = r.nextDouble(-1, 1);
            }
        }
        for (double[] row : v) {
            for (int j = 0; j < hidden; j++) {
                row[j] = r.nextDouble(-1, 1);
            }
        }
        for (int j = 0; j < hidden; j++) {
            a[j] = r.nextDouble(-0.5, 0.5);
        }
        for (int k = 0; k < outputs; k++) {
            c[k] = r.nextDouble(-0.5, 0.5);
        }
        return new Toy("tanh-mlp", inputs, outputs) {
            private double[] hidden(double[] x) {
                double[] h = a.clone();
                for (int i = 0; i < h.length; i++) {
                    for (int j = 0; j < inputs; j++) {
                        h[i] += u[i][j] * x[j];
                    }
                    h[i] = Math.tanh(h[i]);
                }
                return h;
            }

            @Override
            double[] out(double[] x) {
                double[] h = hidden(x);
                double[] y = c.clone();
                for (int k = 0; k < outputs; k++) {
                    for (int i = 0; i < h.length; i++) {
                        y[k] += v[k][i] * h[i];
                    }
                }
                return y;
            }

            @Override
            double[] grad(double[] x, double[] seed) {
                double[] h = hidden(x);
                double[] g = new double[inputs];
                for (int i = 0; i < h.length; i++) {
                    double dh = 0;
                    for (int k = 0; k < outputs; k++) {
                        dh += seed[k] * v[k][i];
                    }
                    dh *= 1 - h[i] * h[i];
                    for (int j = 0; j < inputs; j++) {
                        g[j] += dh * u[i][j];
                    }
                }
                return g;
            }
        };
    }

    /** A toy model: examples are flattened, computation is in double, calls are logged. */
    public abstract static class Toy implements GradientModel {
        private final ModelInfo info;
        private final int inputs;
        private final int outputs;
        private final List<Integer> callBatchSizes = new ArrayList<>();

        Toy(String name, int inputs, int outputs) {
            this.info = ModelInfo.of(name, "java", "toy-" + name);
            this.inputs = inputs;
            this.outputs = outputs;
        }

        abstract double[] out(double[] x);

        abstract double[] grad(double[] x, double[] seed);

        /** The exact output for one example. */
        public double[] outputOf(double[] x) {
            return out(x);
        }

        /** Batch sizes of every call so far, forward and gradient alike. */
        public List<Integer> callBatchSizes() {
            return callBatchSizes;
        }

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public Tensor forward(Tensor input) {
            check(input);
            callBatchSizes.add(input.batch());
            float[] y = new float[input.batch() * outputs];
            for (int i = 0; i < input.batch(); i++) {
                double[] o = out(example(input, i));
                for (int k = 0; k < outputs; k++) {
                    y[i * outputs + k] = (float) o[k];
                }
            }
            return Tensor.of(y, Shape.of(input.batch(), outputs));
        }

        @Override
        public ModelGradients gradients(Tensor input, Target target) {
            Tensor y = forward(input);
            Tensor seed = target.seed(y);
            float[] g = new float[input.size()];
            for (int i = 0; i < input.batch(); i++) {
                double[] s = new double[outputs];
                for (int k = 0; k < outputs; k++) {
                    s[k] = seed.data()[i * outputs + k];
                }
                double[] gi = grad(example(input, i), s);
                for (int j = 0; j < inputs; j++) {
                    g[i * inputs + j] = (float) gi[j];
                }
            }
            return new ModelGradients(y, Tensor.of(g, input.shape()));
        }

        private void check(Tensor input) {
            if (input.shape().rank() < 2 || input.rowSize() != inputs) {
                throw new InvalidInputException("toy model takes " + inputs + " values per example, got shape "
                        + input.shape());
            }
        }

        private static double[] example(Tensor input, int i) {
            int d = input.rowSize();
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = input.data()[i * d + j];
            }
            return x;
        }

        @Override
        public void close() {}
    }
}
