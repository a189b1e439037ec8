package io.attrib4j.testkit;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;

/**
 * The oracle's {@code mlp} (Linear(12,32)-ReLU-Linear(32,32)-ReLU-Linear(32,3)) in pure Java, float64
 * inside, with its weights read from the oracle state dict (PyTorch layout {@code [out, in]}) and a
 * hand-written backward pass. Lets the methods be checked against Captum without any model engine.
 */
public final class OracleMlp implements GradientModel {
    private final double[][][] w = new double[3][][];
    private final double[][] b = new double[3][];
    private final ModelInfo info = ModelInfo.of("oracle-mlp", "java", "oracle-mlp").withExampleShape(Shape.of(12));

    public OracleMlp() {
        for (int l = 0; l < 3; l++) {
            Tensor wt = Oracle.load("mlp/weights/fc" + (l + 1) + ".weight");
            Tensor bt = Oracle.load("mlp/weights/fc" + (l + 1) + ".bias");
            int out = wt.shape().dim(0);
            int in = wt.shape().dim(1);
            w[l] = new double[out][in];
            b[l] = new double[out];
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    w[l][o][i] = wt.data()[o * in + i];
                }
                b[l][o] = bt.data()[o];
            }
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** Pre-activations of the three layers for one example. */
    private double[][] layers(float[] data, int offset) {
        double[][] z = new double[3][];
        double[] a = new double[12];
        for (int j = 0; j < 12; j++) {
            a[j] = data[offset + j];
        }
        for (int l = 0; l < 3; l++) {
            z[l] = b[l].clone();
            for (int o = 0; o < z[l].length; o++) {
                for (int i = 0; i < a.length; i++) {
                    z[l][o] += w[l][o][i] * a[i];
                }
            }
            a = new double[z[l].length];
            for (int o = 0; o < a.length; o++) {
                a[o] = Math.max(0, z[l][o]);
            }
        }
        return z;
    }

    @Override
    public Tensor forward(Tensor input) {
        int n = input.batch();
        float[] y = new float[n * 3];
        for (int r = 0; r < n; r++) {
            double[] logits = layers(input.data(), r * 12)[2];
            for (int k = 0; k < 3; k++) {
                y[r * 3 + k] = (float) logits[k];
            }
        }
        return Tensor.of(y, Shape.of(n, 3));
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        Tensor y = forward(input);
        float[] seed = target.seed(y).data();
        int n = input.batch();
        float[] g = new float[n * 12];
        for (int r = 0; r < n; r++) {
            double[][] z = layers(input.data(), r * 12);
            double[] d = new double[3];
            for (int k = 0; k < 3; k++) {
                d[k] = seed[r * 3 + k];
            }
            for (int l = 2; l >= 0; l--) {
                int in = w[l][0].length;
                double[] prev = new double[in];
                for (int o = 0; o < d.length; o++) {
                    for (int i = 0; i < in; i++) {
                        prev[i] += d[o] * w[l][o][i];
                    }
                }
                if (l > 0) {
                    for (int i = 0; i < in; i++) {
                        prev[i] = z[l - 1][i] > 0 ? prev[i] : 0; // ReLU of the layer below
                    }
                }
                d = prev;
            }
            for (int j = 0; j < 12; j++) {
                g[r * 12 + j] = (float) d[j];
            }
        }
        return new ModelGradients(y, Tensor.of(g, input.shape()));
    }

    @Override
    public void close() {}
}
