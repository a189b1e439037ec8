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
import java.util.SplittableRandom;

/**
 * Two pure-Java models with hand-written derivatives for the spec tests, beside testkit's toys: a staged ReLU
 * network (for DeepLIFT) and a token model with an embedding layer (for token attributions).
 */
final class SpecToyModels {
    private SpecToyModels() {}

    /** {@code F(x) = V relu(W x)} on examples of {@code inputs} values, as three stages. */
    static StagedModel stagedReluNet(int inputs, int hidden, int outputs, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Stage> stages = List.of(linear("fc1", weights(r, hidden, inputs)), relu(),
                linear("fc2", weights(r, outputs, hidden)));
        ModelInfo info = ModelInfo.of("toy-staged-relu", "java", "toy-staged-relu").withExampleShape(Shape.of(inputs));
        return new StagedModel() {
            @Override
            public List<Stage> stages() {
                return stages;
            }

            @Override
            public ModelInfo info() {
                return info;
            }

            @Override
            public Tensor forward(Tensor input) {
                Tensor a = input;
                for (Stage s : stages) {
                    a = s.forward(a);
                }
                return a;
            }

            @Override
            public ModelGradients gradients(Tensor input, Target target) {
                Tensor[] acts = new Tensor[stages.size() + 1];
                acts[0] = input;
                for (int s = 0; s < stages.size(); s++) {
                    acts[s + 1] = stages.get(s).forward(acts[s]);
                }
                Tensor g = target.seed(acts[stages.size()]);
                for (int s = stages.size() - 1; s >= 0; s--) {
                    g = stages.get(s).backward(acts[s], g);
                }
                return new ModelGradients(acts[stages.size()], g);
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Token ids {@code [N, seq]} (INT64) through an embedding table {@code [vocab, dim]} (layer {@code "embedding"},
     * {@code [N, seq, dim]}), then {@code F_k = sum_{s,d} H[k][s*dim+d] tanh(e[s,d])}.
     */
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

    private static Stage linear(String name, float[][] w) {
        return new Stage() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Kind kind() {
                return Kind.LINEAR;
            }

            @Override
            public Tensor forward(Tensor input) {
                int n = input.batch();
                int in = w[0].length;
                float[] x = input.data();
                float[] y = new float[n * w.length];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < w.length; k++) {
                        double s = 0;
                        for (int j = 0; j < in; j++) {
                            s += w[k][j] * x[i * in + j];
                        }
                        y[i * w.length + k] = (float) s;
                    }
                }
                return Tensor.of(y, n, w.length);
            }

            @Override
            public Tensor backward(Tensor input, Tensor gradOutput) {
                int n = input.batch();
                int in = w[0].length;
                float[] g = gradOutput.data();
                float[] out = new float[n * in];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < in; j++) {
                        double s = 0;
                        for (int k = 0; k < w.length; k++) {
                            s += g[i * w.length + k] * w[k][j];
                        }
                        out[i * in + j] = (float) s;
                    }
                }
                return Tensor.of(out, input.shape());
            }
        };
    }

    private static Stage relu() {
        return new Stage() {
            @Override
            public String name() {
                return "relu";
            }

            @Override
            public Kind kind() {
                return Kind.RELU;
            }

            @Override
            public Tensor forward(Tensor input) {
                float[] x = input.data().clone();
                for (int j = 0; j < x.length; j++) {
                    x[j] = Math.max(0f, x[j]);
                }
                return Tensor.of(x, input.shape());
            }

            @Override
            public Tensor backward(Tensor input, Tensor gradOutput) {
                float[] x = input.data();
                float[] g = gradOutput.data().clone();
                for (int j = 0; j < g.length; j++) {
                    g[j] = x[j] > 0 ? g[j] : 0f;
                }
                return Tensor.of(g, input.shape());
            }
        };
    }
}
