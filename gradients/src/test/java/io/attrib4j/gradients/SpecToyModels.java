package io.attrib4j.gradients;

import io.attrib4j.engine.DType;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import java.util.List;
import io.attrib4j.testkit.StagedMlp;
import java.util.SplittableRandom;

/**
 * Two pure-Java models with hand-written derivatives for the spec tests, beside testkit's toys: a staged ReLU
 * network (for DeepLIFT) and a token model with an embedding layer (for token attributions).
 */
final class SpecToyModels {
    private SpecToyModels() {}

    /** {@code F(x) = V relu(W x)} on examples of {@code inputs} values, as three stages. */
    /** A visible fc1 → ReLU → fc2 chain with seeded weights (no biases): DeepLIFT's and every gradient method's toy. */
    static StagedModel stagedReluNet(int inputs, int hidden, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return StagedMlp.of("toy-staged-relu", inputs, StagedMlp.affine("fc1", doubles(weights(r, hidden, inputs)),
                new double[hidden]), StagedMlp.relu("relu"), StagedMlp.affine("fc2", doubles(weights(r, outputs, hidden)),
                new double[outputs]));
    }

    private static double[][] doubles(float[][] w) {
        double[][] d = new double[w.length][];
        for (int i = 0; i < w.length; i++) {
            d[i] = new double[w[i].length];
            for (int j = 0; j < w[i].length; j++) {
                d[i][j] = w[i][j];
            }
        }
        return d;
    }

    static LayerModel tokenModel(int vocab, int seq, int dim, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] table = weights(r, vocab, dim);
        float[][] head = weights(r, outputs, seq * dim);
        ModelInfo info = ModelInfo.of("toy-tokens", "java", "toy-tokens");
        return new LayerModel() {
            @Override
            public List<String> layerNames() {
                return List.of("embedding");
            }

            @Override
            public Tensor layerActivation(Tensor ids, String layer) {
                long[] t = ids.toLongArray();
                float[] e = new float[t.length * dim];
                for (int p = 0; p < t.length; p++) {
                    System.arraycopy(table[(int) t[p]], 0, e, p * dim, dim);
                }
                return Tensor.of(e, ids.batch(), seq, dim);
            }

            @Override
            public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
                int n = activation.batch();
                float[] a = activation.data();
                float[] out = new float[n * outputs];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < outputs; k++) {
                        double y = 0;
                        for (int j = 0; j < seq * dim; j++) {
                            y += head[k][j] * Math.tanh(a[i * seq * dim + j]);
                        }
                        out[i * outputs + k] = (float) y;
                    }
                }
                Tensor output = Tensor.of(out, n, outputs);
                float[] s = target.seed(output).data();
                float[] g = new float[a.length];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < seq * dim; j++) {
                        double t = Math.tanh(a[i * seq * dim + j]);
                        double d = 0;
                        for (int k = 0; k < outputs; k++) {
                            d += s[i * outputs + k] * head[k][j];
                        }
                        g[i * seq * dim + j] = (float) (d * (1 - t * t));
                    }
                }
                return new ModelGradients(output, Tensor.of(g, activation.shape()));
            }

            @Override
            public ModelGradients gradients(Tensor input, Target target) {
                throw new UnsupportedModelException("token ids have no gradient; attribute at the embedding layer");
            }

            @Override
            public ModelInfo info() {
                return info;
            }

            @Override
            public Tensor forward(Tensor ids) {
                if (ids.dtype() != DType.INT64) {
                    throw new UnsupportedModelException("the token model takes INT64 ids");
                }
                return gradientsFromLayer("embedding", layerActivation(ids, "embedding"),
                        Target.classIndex(0)).output();
            }

            @Override
            public void close() {}
        };
    }

    private static float[][] weights(SplittableRandom r, int rows, int cols) {
        float[][] w = new float[rows][cols];
        for (float[] row : w) {
            for (int j = 0; j < cols; j++) {
                row[j] = (float) r.nextDouble(-1, 1);
            }
        }
        return w;
    }


}
