package io.attrib4j.models.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.GradientLock;
import io.attrib4j.testkit.Close;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The three references an operator is checked against, on a whole (small) ONNX graph run by {@link OnnxModel}:
 * ONNX Runtime's forward (float32), and, in float64, the vector-Jacobian product {@code g^T dy/dx} against
 * central differences of {@code <g, f(x)>} and against given numbers (PyTorch's autograd).
 */
final class OpChecks {
    private OpChecks() {}

    /** The forward of OnnxModel and of ONNX Runtime on {@code x}, to float32 rounding (relative to the max). */
    static void forwardMatchesOnnxRuntime(Path file, Tensor x, String what) {
        try (OnnxModel ours = OnnxModel.load(file); OnnxRuntimeModel ort = OnnxRuntimeModel.load(file)) {
            // both run float32 kernels; the few-op graphs here round the same values in different orders
            Close.relative(ort.forward(x), ours.forward(x), 1e-5, what + ": forward vs ONNX Runtime");
        }
    }

    /** {@code y = f(x)} and {@code g^T dy/dx}, both in float64 (float weights promote to double in the ops). */
    record Vjp(double[] output, long[] outputShape, double[] gradient) {}

    static Vjp vjp(OnnxModel model, double[] x, long[] shape, double[] g) {
        return GradientLock.run(() -> {
            try (NDManager call = model.newCallManager();
                    GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                NDArray in = call.create(x, new ai.djl.ndarray.types.Shape(shape));
                in.setRequiresGradient(true);
                NDArray y = run(model, call, in);
                NDArray seed = call.create(g, y.getShape());
                collector.backward(y.mul(seed).sum());
                return new Vjp(y.toDoubleArray(), y.getShape().getShape(), in.getGradient().toDoubleArray());
            }
        });
    }

    /** {@code <g, f(x)>} in float64. */
    static double dot(OnnxModel model, double[] x, long[] shape, double[] g) {
        try (NDManager call = model.newCallManager()) {
            NDArray y = run(model, call, call.create(x, new ai.djl.ndarray.types.Shape(shape)));
            double[] v = y.toDoubleArray();
            double sum = 0;
            for (int i = 0; i < v.length; i++) {
                sum += g[i] * v[i];
            }
            return sum;
        }
    }

    private static NDArray run(OnnxModel model, NDManager call, NDArray in) {
        NDArray y = model.run(call, Map.of(model.graph().inputName, in), model.graph().outputName);
        assertTrue(y.getDataType() == DataType.FLOAT64, "the graph ran in " + y.getDataType() + ", not float64");
        return y;
    }

    /**
     * The VJP against central differences {@code (<g,f(x+h e_i)> - <g,f(x-h e_i)>) / 2h} for every element, in
     * float64 with {@code h = 1e-6}: truncation error ~h^2 f''' and rounding ~1e-16/h leave about 1e-9 of the
     * scale, so 1e-6 of the largest gradient entry fails only for a wrong derivative (or an input on a kink).
     */
    static void vjpMatchesFiniteDifferences(OnnxModel model, double[] x, long[] shape, double[] g, String what) {
        double[] grad = vjp(model, x, shape, g).gradient();
        double h = 1e-6;
        double worst = 0;
        double scale = 1e-3;
        for (int i = 0; i < x.length; i++) {
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (dot(model, plus, shape, g) - dot(model, minus, shape, g)) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - grad[i]));
            scale = Math.max(scale, Math.abs(grad[i]));
        }
        assertTrue(worst <= 1e-6 * scale, what + ": VJP differs from central differences by " + worst + " (max |grad| "
                + scale + ")");
    }

    /** Element-wise agreement to {@code tol} of the reference's largest magnitude. */
    static void close(double[] reference, double[] got, double tol, String what) {
        assertTrue(reference.length == got.length, what + ": " + got.length + " values, expected " + reference.length);
        double scale = 1e-6;
        double worst = 0;
        for (int i = 0; i < reference.length; i++) {
            scale = Math.max(scale, Math.abs(reference[i]));
            worst = Math.max(worst, Math.abs(reference[i] - got[i]));
        }
        assertTrue(worst <= tol * scale, what + ": differs by " + worst + " (max |reference| " + scale + ")");
    }

    static void sameShape(long[] expected, long[] got, String what) {
        assertArrayEquals(expected, got, what + ": output shape");
    }

    /** Values uniform in [-2, 2) from {@code seed}. */
    static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble() * 4 - 2;
        }
        return v;
    }

    static Tensor asFloat(double[] v, long[] shape) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.of(f, io.attrib4j.engine.Shape.of(shape));
    }
}
