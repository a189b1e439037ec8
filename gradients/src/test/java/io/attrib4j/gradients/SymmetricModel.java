package io.attrib4j.gradients;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;

/**
 * {@code F(x) = tanh(x0 x1 + 0.3 (x0 + x1)) + sin(x2) x0 x1}, one output: symmetric in {@code x0, x1},
 * non-linear, with an exact gradient.
 */
final class SymmetricModel implements GradientModel {

    @Override
    public ModelInfo info() {
        return ModelInfo.of("symmetric", "java", "symmetric").withExampleShape(Shape.of(3));
    }

    @Override
    public Tensor forward(Tensor input) {
        float[] y = new float[input.batch()];
        for (int r = 0; r < y.length; r++) {
            double x0 = input.data()[3 * r];
            double x1 = input.data()[3 * r + 1];
            double x2 = input.data()[3 * r + 2];
            y[r] = (float) (Math.tanh(x0 * x1 + 0.3 * (x0 + x1)) + Math.sin(x2) * x0 * x1);
        }
        return Tensor.of(y, Shape.of(input.batch(), 1));
    }

    @Override
    public ModelGradients gradients(Tensor input, Target target) {
        Tensor y = forward(input);
        float[] seed = target.seed(y).data();
        float[] g = new float[input.size()];
        for (int r = 0; r < input.batch(); r++) {
            double x0 = input.data()[3 * r];
            double x1 = input.data()[3 * r + 1];
            double x2 = input.data()[3 * r + 2];
            double t = Math.tanh(x0 * x1 + 0.3 * (x0 + x1));
            double dt = 1 - t * t;
            g[3 * r] = (float) (seed[r] * (dt * (x1 + 0.3) + Math.sin(x2) * x1));
            g[3 * r + 1] = (float) (seed[r] * (dt * (x0 + 0.3) + Math.sin(x2) * x0));
            g[3 * r + 2] = (float) (seed[r] * Math.cos(x2) * x0 * x1);
        }
        return new ModelGradients(y, Tensor.of(g, input.shape()));
    }

    @Override
    public void close() {}
}
