package io.attrib4j.models.onnx;

import static io.attrib4j.models.onnx.OnnxBuilder.attr;
import static io.attrib4j.models.onnx.OnnxBuilder.in;
import static io.attrib4j.models.onnx.OnnxBuilder.ints;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.Close;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Graphs beyond the oracle's, built with random weights: a residual block with batch normalization and
 * a transformer block (attention, GELU, layer normalization). OnnxModel must match ONNX Runtime
 * forward, and its gradient must match central differences of its own forward pass.
 */
class GeneratedGraphParityTest {

    /** Conv-BN-ReLU-Conv-BN + skip, ReLU, pools (one with asymmetric pads), grouped conv, head. */
    static Path residualBlock() {
        OnnxBuilder b = new OnnxBuilder(11).input("x", 3, 8, 8);
        String c1 = b.node("Conv", in("x", b.random(0.4f, 4, 3, 3, 3), b.random(0.1f, 4)), ints("pads", 1, 1, 1, 1));
        String r1 = b.node("Relu", in(batchNorm(b, c1, 4)));
        String c2 = b.node("Conv", in(r1, b.random(0.3f, 4, 4, 3, 3)), ints("pads", 1, 1, 1, 1));
        String r2 = b.node("Relu", in(b.node("Add", in(batchNorm(b, c2, 4), r1))));
        String mp = b.node("MaxPool", in(r2), ints("kernel_shape", 2, 2), ints("strides", 2, 2));
        String c3 = b.node("Conv", in(mp, b.random(0.3f, 6, 2, 2, 2), b.random(0.1f, 6)), ints("pads", 0, 0, 1, 1),
                attr("group", 2L));
        String ap = b.node("AveragePool", in(c3), ints("kernel_shape", 3, 3), ints("pads", 1, 1, 1, 1));
        String t = b.node("Tanh", in(ap));
        String flat = b.node("Flatten", in(b.node("GlobalAveragePool", in(t))));
        b.output(b.node("Gemm", in(flat, b.random(0.5f, 5, 6), b.random(0.1f, 5)), attr("transB", 1L), attr("alpha", 2f)));
        return b.write();
    }

    private static String batchNorm(OnnxBuilder b, String x, int channels) {
        float[] var = new float[channels];
        for (int i = 0; i < channels; i++) {
            var[i] = 0.5f + 0.25f * i;
        }
        return b.node("BatchNormalization", in(x, b.random(1f, channels), b.random(0.2f, channels),
                b.random(0.2f, channels), b.floats(var, channels)), attr("epsilon", 1e-3f));
    }

    /** Positional embedding (Gather), decomposed LayerNorm, 2-head attention, GELU MLP, pooling, head. */
    static Path transformerBlock() {
        int s = 4;
        int d = 8;
        OnnxBuilder b = new OnnxBuilder(12).input("x", s, d);
        String pos = b.node("Gather", in(b.random(0.5f, 6, d), b.longs(0, 1, 2, 3)));
        String h = b.node("Add", in("x", b.node("Expand", in(pos, b.longs(1, s, d)))));
        String ln = layerNorm(b, h, d);
        String q = b.node("MatMul", in(ln, b.random(0.5f, d, d)));
        String k = b.node("MatMul", in(ln, b.random(0.5f, d, d)));
        String v = b.node("MatMul", in(ln, b.random(0.5f, d, d)));
        String batch = b.node("Unsqueeze", in(b.node("Gather", in(b.node("Shape", in(q)), b.scalar(0))), b.longs(0)));
        String heads = b.node("Concat", in(batch, b.longs(s, 2, d / 2)), attr("axis", 0L));
        String qh = b.node("Transpose", in(b.node("Reshape", in(q, heads))), ints("perm", 0, 2, 1, 3));
        String kt = b.node("Transpose", in(b.node("Reshape", in(k, heads))), ints("perm", 0, 2, 3, 1));
        String vh = b.node("Transpose", in(b.node("Reshape", in(v, heads))), ints("perm", 0, 2, 1, 3));
        String scores = b.node("Div", in(b.node("MatMul", in(qh, kt)), b.floats(new float[] {2f})));
        String ctx = b.node("MatMul", in(b.node("Softmax", in(scores), attr("axis", -1L)), vh));
        String merged = b.node("Reshape", in(b.node("Transpose", in(ctx), ints("perm", 0, 2, 1, 3)), b.longs(0, s, d)));
        String res = b.node("Add", in(h, b.node("MatMul", in(merged, b.random(0.5f, d, d)))));
        String up = b.node("Add", in(b.node("MatMul", in(res, b.random(0.5f, d, 2 * d))), b.random(0.1f, 2 * d)));
        String erf = b.node("Erf", in(b.node("Div", in(up, b.floats(new float[] {(float) Math.sqrt(2)})))));
        String gelu = b.node("Mul", in(b.node("Mul", in(up, b.floats(new float[] {0.5f}))),
                b.node("Add", in(erf, b.floats(new float[] {1f})))));
        String res2 = b.node("Add", in(res, b.node("MatMul", in(gelu, b.random(0.5f, 2 * d, d)))));
        String mean = b.node("ReduceMean", in(res2), ints("axes", 1), attr("keepdims", 0L));
        String first = b.node("Squeeze", in(b.node("Slice", in(res2, b.longs(0), b.longs(1), b.longs(1))), b.longs(1)));
        String pooled = b.node("Sigmoid", in(b.node("Concat", in(mean, first), attr("axis", 1L))));
        b.output(b.node("Gemm", in(pooled, b.random(0.5f, 3, 2 * d), b.random(0.1f, 3)), attr("transB", 1L)));
        return b.write();
    }

    private static String layerNorm(OnnxBuilder b, String x, int d) {
        String centered = b.node("Sub", in(x, b.node("ReduceMean", in(x), ints("axes", -1))));
        String variance = b.node("ReduceMean", in(b.node("Pow", in(centered, b.floats(new float[] {2f})))), ints("axes", -1));
        String std = b.node("Sqrt", in(b.node("Add", in(variance, b.floats(new float[] {1e-5f})))));
        return b.node("Add", in(b.node("Mul", in(b.node("Div", in(centered, std)), b.random(1f, d))), b.random(0.1f, d)));
    }

    /** The fused operator (opset 17) on its own. */
    static Path fusedLayerNorm() {
        OnnxBuilder b = new OnnxBuilder(13).input("x", 3, 6);
        String ln = b.node("LayerNormalization", in("x", b.random(1f, 6), b.random(0.2f, 6)), attr("axis", -1L));
        String flat = b.node("Flatten", in(ln));
        b.output(b.node("Gemm", in(flat, b.random(0.5f, 18, 4)), attr("beta", 0.5f)));
        return b.write(17);
    }

    @Test
    void residualBlockMatchesOnnxRuntime() {
        check(residualBlock(), Shape.of(3, 3, 8, 8), 1e-2);
    }

    @Test
    void transformerBlockMatchesOnnxRuntime() {
        check(transformerBlock(), Shape.of(2, 4, 8), 1e-2);
    }

    @Test
    void fusedLayerNormalizationMatchesOnnxRuntime() {
        check(fusedLayerNorm(), Shape.of(2, 3, 6), 1e-2);
    }

    private static void check(Path file, Shape shape, double eps) {
        Tensor x = random(shape, 7);
        try (OnnxModel ours = OnnxModel.load(file); OnnxRuntimeModel ort = OnnxRuntimeModel.load(file)) {
            Tensor reference = ort.forward(x);
            Close.relative(reference, ours.forward(x), 1e-5, file.getFileName() + " vs ONNX Runtime");
            int[] targets = new int[shape.batch()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = i % reference.rowSize();
            }
            Tensor grad = ours.gradients(x, Target.perExample(targets)).inputGradient();
            double worst = 0;
            for (int flat = 0; flat < x.size(); flat += 5) {
                int row = flat / x.rowSize();
                double fd = (ours.forward(shifted(x, flat, eps)).data()[row * reference.rowSize() + targets[row]]
                        - ours.forward(shifted(x, flat, -eps)).data()[row * reference.rowSize() + targets[row]]) / (2 * eps);
                worst = Math.max(worst, Math.abs(fd - grad.data()[flat]));
            }
            assertTrue(worst <= 2e-2 * Math.max(1e-3, grad.maxAbs()),
                    "gradient differs from central differences by " + worst + " (max |grad| " + grad.maxAbs() + ")");
        }
    }

    /** Values uniform in [-1, 1) from {@code seed}. */
    static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return Tensor.of(d, shape);
    }

    private static Tensor shifted(Tensor x, int flat, double by) {
        float[] d = x.data().clone();
        d[flat] += (float) by;
        return Tensor.of(d, x.shape());
    }
}
