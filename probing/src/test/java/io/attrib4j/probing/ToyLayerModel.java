package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * A pure-Java two-layer linear model {@code out = B (A x)} with one layer, "hidden" ({@code h = A x}),
 * exact gradients, and a record of every batch it was asked to run.
 */
final class ToyLayerModel implements LayerModel {
    private final double[][] a; // [hidden][in]
    private final double[][] b; // [out][hidden]
    final List<Integer> calls = new ArrayList<>();

    ToyLayerModel(double[][] a, double[][] b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public ModelInfo info() {
        return ModelInfo.of("toy-layer", "java", "toy-" + java.util.Arrays.deepHashCode(a) + "-"
                + java.util.Arrays.deepHashCode(b));
    }

    @Override
    public List<String> layerNames() {
        return List.of("hidden");
    }

    @Override
    public Tensor layerActivation(Tensor input, String layer) {
        check(layer);
        calls.add(input.batch());
        return multiply(input, a);
    }

    @Override
    public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
        check(layer);
        Tensor out = multiply(activation, b);
        float[] seed = target.seed(out).data();
        int n = activation.batch();
        int h = a.length;
        float[] g = new float[n * h];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < h; j++) {
                double s = 0;
                for (int k = 0; k < b.length; k++) {
                    s += seed[i * b.length + k] * b[k][j];
                }
                g[i * h + j] = (float) s;
            }
        }
        return new ModelGradients(out, Tensor.of(g, n, h));
    }

    @Override
    public Tensor forward(Tensor input) {
        return multiply(multiply(input, a), b);
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        throw new UnsupportedOperationException("not needed by the probing tests");
    }

    @Override
    public void close() {}

    private static void check(String layer) {
        if (!layer.equals("hidden")) {
            throw new InvalidInputException("no layer " + layer);
        }
    }

    /** {@code x [n, in] -> x Wᵀ [n, out]}. */
    private static Tensor multiply(Tensor x, double[][] w) {
        int n = x.batch();
        int in = w[0].length;
        float[] v = x.data();
        float[] out = new float[n * w.length];
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < w.length; o++) {
                double s = 0;
                for (int j = 0; j < in; j++) {
                    s += w[o][j] * v[i * in + j];
                }
                out[i * w.length + o] = (float) s;
            }
        }
        return Tensor.of(out, n, w.length);
    }
}
