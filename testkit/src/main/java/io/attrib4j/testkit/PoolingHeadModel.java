package io.attrib4j.testkit;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.util.List;

/**
 * A pure-Java layer model on [N,C,h,w] inputs: F(x) = W mean_{y,x}(x) + c. Layer "id" is the input
 * itself; layer "flat" is the input flattened to [N, C*h*w] (a 2-D layer). The gradient at the layer is
 * {@code seed . W / (h w)}, constant over each channel, written by hand.
 */
public final class PoolingHeadModel implements LayerModel {
    private final double[][] w; // [classes][channels]
    private final double[] c;
    private final Shape example;

    public PoolingHeadModel(double[][] w, double[] c, int h, int wd) {
        this.w = w;
        this.c = c;
        this.example = Shape.of(w[0].length, h, wd);
    }

    @Override
    public ModelInfo info() {
        return ModelInfo.of("pooling-head", "java", "none").withExampleShape(example);
    }

    @Override
    public List<String> layerNames() {
        return List.of("id", "flat");
    }

    @Override
    public Tensor layerActivation(Tensor input, String layer) {
        return switch (layer) {
            case "id" -> input;
            case "flat" -> input.reshape(Shape.of(input.batch(), input.rowSize()));
            default -> throw new InvalidInputException("no layer " + layer + "; layers are " + layerNames());
        };
    }

    @Override
    public ModelGradients gradientsFromLayer(String layer, Tensor activation, Target target) {
        int n = activation.batch();
        int channels = w[0].length;
        int hw = activation.rowSize() / channels;
        float[] a = activation.data();
        float[] out = new float[n * w.length];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < w.length; k++) {
                double y = c[k];
                for (int ch = 0; ch < channels; ch++) {
                    double mean = 0;
                    for (int p = 0; p < hw; p++) {
                        mean += a[(i * channels + ch) * hw + p];
                    }
                    y += w[k][ch] * mean / hw;
                }
                out[i * w.length + k] = (float) y;
            }
        }
        Tensor output = Tensor.of(out, n, w.length);
        float[] seed = target.seed(output).data();
        float[] g = new float[a.length];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < channels; ch++) {
                double d = 0;
                for (int k = 0; k < w.length; k++) {
                    d += seed[i * w.length + k] * w[k][ch];
                }
                java.util.Arrays.fill(g, (i * channels + ch) * hw, (i * channels + ch + 1) * hw, (float) (d / hw));
            }
        }
        return new ModelGradients(output, Tensor.of(g, activation.shape()));
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        return gradientsFromLayer("id", input, target);
    }

    @Override
    public Tensor forward(Tensor input) {
        return gradients(input, Target.classIndex(0)).output();
    }

    @Override
    public void close() {}
}
