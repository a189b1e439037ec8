package io.attrib4j.testkit;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

/**
 * A pure-Java network on flat examples {@code [N, D]} made of visible stages (affine maps, tanh, ReLU) with
 * hand-written backward passes: one model that every gradient method and DeepLIFT can run, so axiom tests can
 * build functionally equal networks of different structure, sums of networks, and networks that ignore a feature.
 * Arithmetic in double inside each stage; tensors between stages are float32.
 */
public final class StagedMlp implements StagedModel {
    private final List<Stage> stages;
    private final ModelInfo info;

    private StagedMlp(String name, int inputs, List<Stage> stages) {
        this.stages = List.copyOf(stages);
        this.info = ModelInfo.of(name, "java", "staged-" + name).withExampleShape(Shape.of(inputs));
    }

    /** The network {@code stages[k-1](... stages[0](x))} on examples of {@code inputs} features. */
    public static StagedMlp of(String name, int inputs, Stage... stages) {
        return new StagedMlp(name, inputs, List.of(stages));
    }

    /**
     * {@code V tanh(U x + a) + c}: the one-hidden-layer tanh network most axiom tests use.
     *
     * @param u {@code [hidden, inputs]}
     * @param v {@code [outputs, hidden]}
     */
    public static StagedMlp tanh(String name, double[][] u, double[] a, double[][] v, double[] c) {
        return of(name, u[0].length, affine("fc1", u, a), tanh("tanh"), affine("fc2", v, c));
    }

    /** {@code y = W x + b} per example; {@code w} is {@code [out, in]}. */
    public static Stage affine(String name, double[][] w, double[] b) {
        int out = w.length;
        int in = w[0].length;
        return new Named(name, Stage.Kind.LINEAR) {
            @Override
            public Tensor forward(Tensor input) {
                int n = input.batch();
                float[] x = input.data();
                float[] y = new float[n * out];
                for (int r = 0; r < n; r++) {
                    for (int o = 0; o < out; o++) {
                        double s = b[o];
                        for (int i = 0; i < in; i++) {
                            s += w[o][i] * x[r * in + i];
                        }
                        y[r * out + o] = (float) s;
                    }
                }
                return Tensor.of(y, Shape.of(n, out));
            }

            @Override
            public Tensor backward(Tensor input, Tensor gradOutput) {
                int n = input.batch();
                float[] g = gradOutput.data();
                float[] dx = new float[n * in];
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < in; i++) {
                        double s = 0;
                        for (int o = 0; o < out; o++) {
                            s += g[r * out + o] * w[o][i];
                        }
                        dx[r * in + i] = (float) s;
                    }
                }
                return Tensor.of(dx, input.shape());
            }
        };
    }

    public static Stage tanh(String name) {
        return elementwise(name, Stage.Kind.TANH, Math::tanh, x -> 1 - Math.tanh(x) * Math.tanh(x));
    }

    public static Stage relu(String name) {
        return elementwise(name, Stage.Kind.RELU, x -> Math.max(0, x), x -> x > 0 ? 1 : 0);
    }

    private static Stage elementwise(String name, Stage.Kind kind, DoubleUnaryOperator f, DoubleUnaryOperator df) {
        return new Named(name, kind) {
            @Override
            public Tensor forward(Tensor input) {
                float[] x = input.data();
                float[] y = new float[x.length];
                for (int e = 0; e < x.length; e++) {
                    y[e] = (float) f.applyAsDouble(x[e]);
                }
                return Tensor.of(y, input.shape());
            }

            @Override
            public Tensor backward(Tensor input, Tensor gradOutput) {
                float[] x = input.data();
                float[] g = gradOutput.data();
                float[] dx = new float[x.length];
                for (int e = 0; e < x.length; e++) {
                    dx[e] = (float) (g[e] * df.applyAsDouble(x[e]));
                }
                return Tensor.of(dx, input.shape());
            }
        };
    }

    /** A stage's name and kind. */
    private abstract static class Named implements Stage {
        private final String name;
        private final Kind kind;

        Named(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Kind kind() {
            return kind;
        }
    }

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
        Tensor t = input;
        for (Stage s : stages) {
            t = s.forward(t);
        }
        return t;
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        List<Tensor> inputs = new ArrayList<>();
        Tensor t = input;
        for (Stage s : stages) {
            inputs.add(t);
            t = s.forward(t);
        }
        Tensor g = target.seed(t);
        for (int k = stages.size() - 1; k >= 0; k--) {
            g = stages.get(k).backward(inputs.get(k), g);
        }
        return new ModelGradients(t, g);
    }

    @Override
    public void close() {}
}
