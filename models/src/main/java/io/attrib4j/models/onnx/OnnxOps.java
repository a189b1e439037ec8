package io.attrib4j.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import onnx.Onnx;

/**
 * The ONNX operators {@link OnnxModel} executes, each written with DJL {@link NDArray} operations so
 * that the PyTorch engine's autograd differentiates through them. Semantics follow the ONNX operator
 * specification (opset 13, with the attribute forms of older opsets where they differ).
 */
final class OnnxOps {
    private OnnxOps() {}

    /** Runs one node; returns its outputs in order. */
    interface Op {
        NDList apply(OpCall c);
    }

    private static Op one(Function<OpCall, NDArray> f) {
        return c -> new NDList(f.apply(c));
    }

    private static Op unary(Function<NDArray, NDArray> f) {
        return one(c -> f.apply(c.in(0)));
    }

    static final Map<String, Op> TABLE = Map.ofEntries(
            Map.entry("Gemm", one(OnnxOps::gemm)),
            Map.entry("MatMul", one(c -> c.in(0).matMul(c.in(1)))),
            Map.entry("Add", one(c -> c.in(0).add(c.in(1)))),
            Map.entry("Sub", one(c -> c.in(0).sub(c.in(1)))),
            Map.entry("Mul", one(c -> c.in(0).mul(c.in(1)))),
            Map.entry("Div", one(OnnxOps::div)),
            Map.entry("Pow", one(c -> c.in(0).pow(c.in(1).toType(c.in(0).getDataType(), false)))),
            Map.entry("Relu", unary(Activation::relu)),
            Map.entry("Sigmoid", unary(Activation::sigmoid)),
            Map.entry("Tanh", unary(NDArray::tanh)),
            Map.entry("LeakyRelu", one(c -> Activation.leakyRelu(c.in(0), c.attrFloat("alpha", 0.01f)))),
            Map.entry("Elu", one(c -> Activation.elu(c.in(0), c.attrFloat("alpha", 1f)))),
            Map.entry("Softplus", unary(Activation::softPlus)),
            Map.entry("Erf", unary(NDArray::erf)),
            Map.entry("Sqrt", unary(NDArray::sqrt)),
            Map.entry("Exp", unary(NDArray::exp)),
            Map.entry("Log", unary(NDArray::log)),
            Map.entry("Neg", unary(NDArray::neg)),
            Map.entry("Identity", unary(x -> x)),
            Map.entry("Dropout", unary(x -> x)),
            Map.entry("Softmax", one(c -> softmax(c, false))),
            Map.entry("LogSoftmax", one(c -> softmax(c, true))),
            Map.entry("Clip", one(OnnxOps::clip)),
            Map.entry("HardSigmoid", one(c -> hardSigmoid(c.in(0), c.attrFloat("alpha", 0.2f), c.attrFloat("beta", 0.5f)))),
            Map.entry("HardSwish", unary(x -> x.mul(hardSigmoid(x, 1f / 6, 0.5f)))),
            Map.entry("Gelu", one(OnnxOps::gelu)),
            Map.entry("Abs", unary(NDArray::abs)),
            Map.entry("Reciprocal", unary(x -> x.onesLike().div(x))),
            Map.entry("Pad", one(OnnxOps::pad)),
            Map.entry("Resize", one(OnnxOps::resize)),
            Map.entry("Split", OnnxOps::split),
            Map.entry("Einsum", one(OnnxOps::einsum)),
            Map.entry("Equal", one(c -> c.in(0).eq(c.in(1)))),
            Map.entry("Greater", one(c -> c.in(0).gt(c.in(1)))),
            Map.entry("Less", one(c -> c.in(0).lt(c.in(1)))),
            Map.entry("Not", unary(NDArray::logicalNot)),
            Map.entry("Mod", one(OnnxOps::mod)),
            Map.entry("ScatterND", one(OnnxOps::scatterNd)),
            Map.entry("Conv", one(OnnxOps::conv)),
            Map.entry("MaxPool", one(OnnxOps::maxPool)),
            Map.entry("AveragePool", one(OnnxOps::averagePool)),
            Map.entry("GlobalAveragePool", unary(x -> reduceEach(x, spatialAxes(x), true, NDArray::mean))),
            Map.entry("GlobalMaxPool", unary(x -> reduceEach(x, spatialAxes(x), true, NDArray::max))),
            Map.entry("BatchNormalization", one(OnnxOps::batchNorm)),
            Map.entry("LayerNormalization", one(OnnxOps::layerNorm)),
            Map.entry("Flatten", one(OnnxOps::flatten)),
            Map.entry("Reshape", one(OnnxOps::reshape)),
            Map.entry("Transpose", one(OnnxOps::transpose)),
            Map.entry("Concat", one(OnnxOps::concat)),
            Map.entry("Unsqueeze", one(OnnxOps::unsqueeze)),
            Map.entry("Squeeze", one(OnnxOps::squeeze)),
            Map.entry("Gather", one(OnnxOps::gather)),
            Map.entry("Slice", one(OnnxOps::slice)),
            Map.entry("Expand", one(c -> c.in(0).broadcast(broadcastShape(c.in(0).getShape(), new Shape(c.longs(1)))))),
            Map.entry("Where", one(OnnxOps::where)),
            Map.entry("ReduceMean", one(c -> reduce(c, true))),
            Map.entry("ReduceSum", one(c -> reduce(c, false))),
            Map.entry("Shape", one(OnnxOps::shape)),
            Map.entry("Constant", one(OnnxOps::constant)),
            Map.entry("ConstantOfShape", one(OnnxOps::constantOfShape)),
            Map.entry("Range", one(OnnxOps::range)),
            Map.entry("Cast", one(OnnxOps::cast)));

    private static NDArray gemm(OpCall c) {
        NDArray a = c.attrInt("transA", 0) != 0 ? c.in(0).transpose() : c.in(0);
        NDArray b = c.attrInt("transB", 0) != 0 ? c.in(1).transpose() : c.in(1);
        float alpha = c.attrFloat("alpha", 1f);
        float beta = c.attrFloat("beta", 1f);
        NDArray y = a.matMul(b);
        if (alpha != 1f) {
            y = y.mul(alpha);
        }
        if (c.has(2)) {
            y = y.add(beta != 1f ? c.in(2).mul(beta) : c.in(2));
        }
        return y;
    }

    /** Integer division truncates toward zero (ONNX), float division is exact. */
    private static NDArray div(OpCall c) {
        NDArray q = c.in(0).div(c.in(1));
        boolean integer = c.in(0).getDataType().isInteger() && c.in(1).getDataType().isInteger();
        return integer ? q.toType(c.in(0).getDataType(), false) : q;
    }

    /**
     * Softmax or LogSoftmax. Opset 13: along {@code axis} (default -1). Before 13: the input is seen as
     * 2-D at {@code axis} (default 1), the normalization running over all dimensions from {@code axis} on.
     */
    private static NDArray softmax(OpCall c, boolean log) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        if (c.opset >= 13) {
            int axis = (int) c.attrInt("axis", -1);
            return log ? x.logSoftmax(axis) : x.softmax(axis);
        }
        int axis = normalize(c.attrInt("axis", 1), rank);
        Shape s = x.getShape();
        NDArray flat = x.reshape(s.slice(0, axis).size(), s.slice(axis).size());
        return (log ? flat.logSoftmax(1) : flat.softmax(1)).reshape(s);
    }

    /** {@code min(max(x, lo), hi)}: bounds are attributes before opset 11, optional inputs 1 and 2 from 11. */
    private static NDArray clip(OpCall c) {
        double lo;
        double hi;
        if (c.opset >= 11) {
            lo = c.has(1) ? c.scalar(1) : Double.NEGATIVE_INFINITY;
            hi = c.has(2) ? c.scalar(2) : Double.POSITIVE_INFINITY;
        } else {
            lo = c.attrFloat("min", -Float.MAX_VALUE);
            hi = c.attrFloat("max", Float.MAX_VALUE);
        }
        NDArray x = c.in(0);
        return x.getDataType().isInteger() ? x.clip((long) Math.max(lo, Long.MIN_VALUE), (long) Math.min(hi, Long.MAX_VALUE))
                : x.clip(lo, hi);
    }

    /** {@code max(0, min(1, alpha x + beta))}; HardSwish is {@code x * HardSigmoid(x)} with alpha 1/6, beta 1/2. */
    private static NDArray hardSigmoid(NDArray x, float alpha, float beta) {
        return x.mul(alpha).add(beta).clip(0, 1);
    }

    /** Opset 20: {@code x Phi(x) = x (1 + erf(x / sqrt 2)) / 2}, or its tanh approximation (approximate="tanh"). */
    private static NDArray gelu(OpCall c) {
        NDArray x = c.in(0);
        NDArray inner = switch (c.attrString("approximate", "none")) {
            case "none" -> x.div(Math.sqrt(2)).erf();
            case "tanh" -> x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI)).tanh();
            default -> throw c.unsupported("Gelu approximate=" + c.attrString("approximate", ""));
        };
        return x.mul(inner.add(1)).mul(0.5);
    }

    /**
     * Pads by {@code pads = [begin_0.., end_0..]} (negative values crop). Before opset 11 pads and value are
     * attributes; from 11 they are inputs 1 and 2, and from 18 input 3 may name the axes. Mode
     * {@code constant} fills with the value, {@code reflect} mirrors without repeating the edge, {@code edge}
     * repeats it: both are a gather along each padded axis with the source index of every output position.
     */
    private static NDArray pad(OpCall c) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        long[] pads = c.opset >= 11 ? c.longs(1) : c.attrInts("pads");
        long[] axes = c.opset >= 18 && c.has(3) ? c.longs(3) : IntStream.range(0, rank).asLongStream().toArray();
        long[] begin = new long[rank];
        long[] end = new long[rank];
        for (int i = 0; i < axes.length; i++) {
            int a = normalize(axes[i], rank);
            begin[a] = pads[i];
            end[a] = pads[i + axes.length];
        }
        String mode = c.attrString("mode", "constant");
        if (mode.equals("constant")) {
            double value = c.opset >= 11 ? (c.has(2) ? c.scalar(2) : 0) : c.attrFloat("value", 0f);
            long[] torchOrder = new long[2 * rank];
            for (int a = 0; a < rank; a++) {
                torchOrder[2 * (rank - 1 - a)] = begin[a];
                torchOrder[2 * (rank - 1 - a) + 1] = end[a];
            }
            return x.pad(new Shape(torchOrder), value);
        }
        if (!mode.equals("reflect") && !mode.equals("edge")) {
            throw c.unsupported("Pad mode '" + mode + "' (supported: constant, reflect, edge)");
        }
        NDArray y = x;
        for (int a = 0; a < rank; a++) {
            long dim = x.getShape().get(a);
            if (begin[a] == 0 && end[a] == 0) {
                continue;
            }
            if (mode.equals("reflect") && (begin[a] >= dim || end[a] >= dim)) {
                throw c.unsupported("reflect padding of " + Math.max(begin[a], end[a]) + " on an axis of size " + dim);
            }
            long[] source = new long[Math.toIntExact(dim + begin[a] + end[a])];
            for (int j = 0; j < source.length; j++) {
                long i = j - begin[a];
                source[j] = mode.equals("edge") ? Math.min(Math.max(i, 0), dim - 1)
                        : (i < 0 ? -i : (i >= dim ? 2 * (dim - 1) - i : i));
            }
            y = take(c, y, a, source, new Shape(source.length));
        }
        return y;
    }

    /**
     * Resize (opset 11+: inputs X, roi, scales, sizes; opset 10: X, scales), modes {@code nearest} and
     * {@code linear}, applied one axis at a time: each output position {@code o} maps to the source coordinate
     * given by {@code coordinate_transformation_mode}; nearest takes the source element chosen by
     * {@code nearest_mode}, linear blends the two neighbours of the coordinate clamped into the axis.
     */
    private static NDArray resize(OpCall c) {
        NDArray x = c.in(0);
        Shape in = x.getShape();
        int rank = in.dimension();
        String mode = c.attrString("mode", "nearest");
        if (!mode.equals("nearest") && !mode.equals("linear")) {
            throw c.unsupported("Resize mode '" + mode + "' (supported: nearest, linear)");
        }
        String transform = c.opset >= 11 ? c.attrString("coordinate_transformation_mode", "half_pixel") : "asymmetric";
        long[] sizes = c.opset >= 11 && c.has(3) ? c.longs(3) : null;
        double[] scales = new double[rank];
        NDArray scaleInput = c.opset >= 11 ? (c.has(2) ? c.in(2) : null) : c.in(1);
        double[] given = scaleInput == null || scaleInput.size() == 0 ? null
                : scaleInput.toType(DataType.FLOAT64, false).toDoubleArray();
        if (sizes == null && given == null) {
            throw c.unsupported("Resize without scales or sizes");
        }
        NDArray y = x;
        for (int a = 0; a < rank; a++) {
            long inDim = in.get(a);
            long outDim = sizes != null ? sizes[a] : (long) Math.floor(inDim * given[a]);
            scales[a] = sizes != null ? (double) outDim / inDim : given[a];
            if (outDim == inDim && scales[a] == 1) {
                continue;
            }
            double[] coord = new double[Math.toIntExact(outDim)];
            for (int o = 0; o < coord.length; o++) {
                coord[o] = switch (transform) {
                    case "half_pixel" -> (o + 0.5) / scales[a] - 0.5;
                    case "pytorch_half_pixel" -> outDim > 1 ? (o + 0.5) / scales[a] - 0.5 : 0;
                    case "align_corners" -> outDim > 1 ? o * (inDim - 1.0) / (outDim - 1) : 0;
                    case "asymmetric" -> o / scales[a];
                    case "tf_half_pixel_for_nn" -> (o + 0.5) / scales[a];
                    default -> throw c.unsupported("Resize coordinate_transformation_mode '" + transform + "'");
                };
            }
            y = mode.equals("nearest") ? take(c, y, a, nearest(c, coord, inDim), new Shape(coord.length))
                    : linear(c, y, a, coord, inDim);
        }
        return y;
    }

    private static long[] nearest(OpCall c, double[] coord, long inDim) {
        String rounding = c.attrString("nearest_mode", "round_prefer_floor");
        long[] source = new long[coord.length];
        for (int o = 0; o < coord.length; o++) {
            double v = coord[o];
            long i = switch (rounding) {
                case "round_prefer_floor" -> v - Math.floor(v) == 0.5 ? (long) Math.floor(v) : Math.round(v);
                case "round_prefer_ceil" -> v - Math.floor(v) == 0.5 ? (long) Math.ceil(v) : Math.round(v);
                case "floor" -> (long) Math.floor(v);
                case "ceil" -> (long) Math.ceil(v);
                default -> throw c.unsupported("Resize nearest_mode '" + rounding + "'");
            };
            source[o] = Math.min(Math.max(i, 0), inDim - 1);
        }
        return source;
    }

    /** {@code (1 - w) x[i0] + w x[i1]} along {@code axis}, with the coordinate clamped into {@code [0, inDim-1]}. */
    private static NDArray linear(OpCall c, NDArray x, int axis, double[] coord, long inDim) {
        long[] lower = new long[coord.length];
        long[] upper = new long[coord.length];
        double[] weight = new double[coord.length];
        for (int o = 0; o < coord.length; o++) {
            double v = Math.min(Math.max(coord[o], 0), inDim - 1);
            lower[o] = (long) Math.floor(v);
            upper[o] = Math.min(lower[o] + 1, inDim - 1);
            weight[o] = v - lower[o];
        }
        long[] along = new long[x.getShape().dimension()];
        Arrays.fill(along, 1);
        along[axis] = coord.length;
        NDArray w = c.manager.create(weight, new Shape(along)).toType(x.getDataType(), false);
        Shape index = new Shape(coord.length);
        return take(c, x, axis, lower, index).mul(w.neg().add(1)).add(take(c, x, axis, upper, index).mul(w));
    }

    /** fmod=0: the remainder takes the divisor's sign (Python's %); fmod=1: the dividend's (C's fmod). */
    private static NDArray mod(OpCall c) {
        NDArray a = c.in(0);
        NDArray b = c.in(1);
        if (c.attrInt("fmod", 0) == 0) {
            return a.mod(b);
        }
        NDArray q = a.div(b);
        return a.sub(b.mul(q.sign().mul(q.abs().floor())));
    }

    /**
     * ScatterND without reduction: a copy of {@code data} in which the slices addressed by the rows of
     * {@code indices} (shape {@code [..., k]}, each row the first k coordinates of a slice) are replaced by
     * {@code updates}. Each flat position of the output picks, with a where, either data or the update that
     * lands on it, so gradients reach both.
     */
    private static NDArray scatterNd(OpCall c) {
        if (!c.attrString("reduction", "none").equals("none")) {
            throw c.unsupported("ScatterND reduction '" + c.attrString("reduction", "") + "'");
        }
        NDArray data = c.in(0);
        Shape ds = data.getShape();
        Shape is = c.in(1).getShape();
        int k = (int) is.get(is.dimension() - 1);
        long[] indices = c.longs(1);
        long slice = ds.slice(k).size();
        long[] source = new long[Math.toIntExact(ds.size())];
        boolean[] replaced = new boolean[source.length];
        for (int row = 0; row < indices.length / Math.max(k, 1); row++) {
            long offset = 0;
            for (int j = 0; j < k; j++) {
                long v = indices[row * k + j];
                offset = offset * ds.get(j) + (v < 0 ? v + ds.get(j) : v);
            }
            for (long e = 0; e < slice; e++) {
                source[Math.toIntExact(offset * slice + e)] = row * slice + e;
                replaced[Math.toIntExact(offset * slice + e)] = true;
            }
        }
        NDArray flatUpdates = c.in(2).reshape(-1);
        NDArray placed = take(c, flatUpdates, 0, source, new Shape(source.length));
        NDArray mask = c.manager.create(replaced);
        return NDArrays.where(mask, placed, data.reshape(-1)).reshape(ds);
    }

    /** How many axes the ellipsis of an Einsum term stands for in {@code operand} (0 without one). */
    private static int ellipsisRank(String term, NDArray operand) {
        return term.contains("...") ? operand.getShape().dimension() - (term.length() - 3) : 0;
    }

    /**
     * Splits along {@code axis} into the sizes given by the {@code split} attribute (before opset 13) or
     * input 1 (from 13), else into equal parts, one per output (the last smaller, opset 18).
     */
    private static NDList split(OpCall c) {
        NDArray x = c.in(0);
        int axis = normalize(c.attrInt("axis", 0), x.getShape().dimension());
        long dim = x.getShape().get(axis);
        long[] sizes = c.opset >= 13 ? c.longs(1) : c.attrInts("split");
        int parts = c.node.outputs().size();
        if (sizes == null) {
            long each = (dim + parts - 1) / parts;
            sizes = new long[parts];
            for (int i = 0; i < parts; i++) {
                sizes[i] = Math.min(each, dim - each * i);
            }
        }
        long[] cuts = new long[sizes.length - 1];
        for (int i = 0, at = 0; i < cuts.length; i++) {
            at += sizes[i];
            cuts[i] = at;
        }
        return cuts.length == 0 ? new NDList(x) : x.split(cuts, axis);
    }

    /**
     * Einsum by broadcasting: every operand is transposed to the order of first appearance of its labels
     * and given size-1 axes for the labels it lacks, the operands are multiplied, the labels absent from
     * the output are summed out and the rest transposed to the output's order. An ellipsis stands for the
     * same leading axes in every operand. Memory grows with the product of all label sizes: fine for the
     * small contractions exporters emit, not meant for large ones.
     */
    private static NDArray einsum(OpCall c) {
        String equation = c.attrString("equation", "").replace(" ", "");
        String[] sides = equation.split("->", -1);
        String[] terms = sides[0].split(",", -1);
        if (terms.length != c.inputCount()) {
            throw c.unsupported("Einsum '" + equation + "' names " + terms.length + " operands for " + c.inputCount() + " inputs");
        }
        int ellipsis = 0;
        for (int i = 0; i < terms.length; i++) {
            ellipsis = Math.max(ellipsis, ellipsisRank(terms[i], c.in(i)));
        }
        String dots = "0123456789".substring(0, ellipsis);
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < terms.length; i++) {
            terms[i] = terms[i].replace("...", dots.substring(ellipsis - ellipsisRank(terms[i], c.in(i))));
            terms[i].chars().filter(ch -> labels.indexOf(String.valueOf((char) ch)) < 0).forEach(ch -> labels.append((char) ch));
        }
        String output;
        if (sides.length > 1) {
            output = sides[1].replace("...", dots);
        } else {
            StringBuilder implicit = new StringBuilder(dots);
            labels.chars().filter(Character::isLetter).sorted()
                    .filter(ch -> String.join("", terms).chars().filter(t -> t == ch).count() == 1)
                    .forEach(ch -> implicit.append((char) ch));
            output = implicit.toString();
        }
        NDArray product = null;
        for (int i = 0; i < terms.length; i++) {
            String term = terms[i];
            if (term.chars().distinct().count() != term.length()) {
                throw c.unsupported("Einsum with a repeated label in one operand ('" + term + "')");
            }
            int[] perm = labels.chars().filter(ch -> term.indexOf(ch) >= 0).map(term::indexOf).toArray();
            NDArray operand = c.in(i).transpose(perm);
            long[] full = new long[labels.length()];
            for (int l = 0; l < full.length; l++) {
                int at = term.indexOf(labels.charAt(l));
                full[l] = at < 0 ? 1 : c.in(i).getShape().get(at);
            }
            operand = operand.reshape(new Shape(full));
            product = product == null ? operand : product.mul(operand);
        }
        int[] summed = IntStream.range(0, labels.length()).filter(l -> output.indexOf(labels.charAt(l)) < 0).toArray();
        NDArray reduced = summed.length == 0 ? product : reduceEach(product, summed, false, NDArray::sum);
        String kept = labels.chars().filter(ch -> output.indexOf(ch) >= 0)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return reduced.transpose(output.chars().map(kept::indexOf).toArray());
    }

    private static int[] spatialAxes(NDArray x) {
        return IntStream.range(2, x.getShape().dimension()).toArray();
    }

    /** Begin and end padding per spatial axis, {@code [hBegin, wBegin, hEnd, wEnd]}, from pads or auto_pad. */
    private static long[] pads2d(OpCall c, NDArray x, long[] kernel, long[] strides, long[] dilations) {
        String autoPad = c.attrString("auto_pad", "NOTSET");
        if (autoPad.equals("NOTSET")) {
            long[] pads = c.attrInts("pads");
            return pads == null ? new long[4] : pads;
        }
        long[] pads = new long[4];
        if (autoPad.equals("VALID")) {
            return pads;
        }
        for (int i = 0; i < 2; i++) {
            long in = x.getShape().get(2 + i);
            long out = (in + strides[i] - 1) / strides[i];
            long total = Math.max((out - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - in, 0);
            long small = total / 2;
            pads[i] = autoPad.equals("SAME_UPPER") ? small : total - small;
            pads[i + 2] = total - pads[i];
        }
        return pads;
    }

    private static long[] orOnes(long[] values) {
        return values == null ? new long[] {1, 1} : values;
    }

    private static void require2d(OpCall c, NDArray x) {
        if (x.getShape().dimension() != 4) {
            throw c.unsupported("only 2-D (NCHW) inputs are supported, got shape " + x.getShape());
        }
    }

    /**
     * Symmetric pads are passed to the operator; asymmetric ones are applied first with
     * {@code fill} and the operator then pads nothing. Returns the (possibly padded) input and the
     * symmetric padding.
     */
    private static Padded padded(NDArray x, long[] pads, double fill) {
        if (pads[0] == pads[2] && pads[1] == pads[3]) {
            return new Padded(x, new Shape(pads[0], pads[1]));
        }
        return new Padded(x.pad(new Shape(pads[1], pads[3], pads[0], pads[2]), fill), new Shape(0, 0));
    }

    private record Padded(NDArray input, Shape padding) {}

    private static NDArray conv(OpCall c) {
        NDArray x = c.in(0);
        NDArray w = c.in(1);
        require2d(c, x);
        long[] kernel = {w.getShape().get(2), w.getShape().get(3)};
        long[] strides = orOnes(c.attrInts("strides"));
        long[] dilations = orOnes(c.attrInts("dilations"));
        Padded in = padded(x, pads2d(c, x, kernel, strides, dilations), 0);
        return Conv2d.conv2d(in.input(), w, c.has(2) ? c.in(2) : null, new Shape(strides),
                in.padding(), new Shape(dilations), (int) c.attrInt("group", 1)).singletonOrThrow();
    }

    private static NDArray maxPool(OpCall c) {
        NDArray x = c.in(0);
        require2d(c, x);
        if (c.node.outputs().size() > 1 && !c.node.outputs().get(1).isEmpty()) {
            throw c.unsupported("the Indices output of MaxPool is not supported");
        }
        long[] dilations = orOnes(c.attrInts("dilations"));
        if (dilations[0] != 1 || dilations[1] != 1) {
            throw c.unsupported("dilated max pooling is not supported");
        }
        long[] kernel = c.attrInts("kernel_shape");
        long[] strides = orOnes(c.attrInts("strides"));
        Padded in = padded(x, pads2d(c, x, kernel, strides, dilations), Double.NEGATIVE_INFINITY);
        return Pool.maxPool2d(in.input(), new Shape(kernel), new Shape(strides), in.padding(),
                c.attrInt("ceil_mode", 0) != 0);
    }

    /**
     * DJL's PyTorch engine always counts padding in the average, so count_include_pad=0 (the ONNX
     * default) divides by the average of a padded all-ones mask: the number of real inputs per window.
     */
    private static NDArray averagePool(OpCall c) {
        NDArray x = c.in(0);
        require2d(c, x);
        long[] kernel = c.attrInts("kernel_shape");
        long[] strides = orOnes(c.attrInts("strides"));
        long[] pads = pads2d(c, x, kernel, strides, new long[] {1, 1});
        boolean ceil = c.attrInt("ceil_mode", 0) != 0;
        NDArray average = averageCountingPads(padded(x, pads, 0), kernel, strides, ceil);
        if (c.attrInt("count_include_pad", 0) != 0 || Arrays.stream(pads).allMatch(p -> p == 0)) {
            return average;
        }
        return average.div(averageCountingPads(padded(c.manager.ones(x.getShape()), pads, 0), kernel, strides, ceil));
    }

    private static NDArray averageCountingPads(Padded in, long[] kernel, long[] strides, boolean ceil) {
        return Pool.avgPool2d(in.input(), new Shape(kernel), new Shape(strides), in.padding(), ceil, true);
    }

    /** Inference form: {@code (x - mean) * scale / sqrt(var + eps) + bias}, per channel (axis 1). */
    private static NDArray batchNorm(OpCall c) {
        NDArray x = c.in(0);
        long[] perChannel = new long[x.getShape().dimension()];
        Arrays.fill(perChannel, 1);
        perChannel[1] = x.getShape().get(1);
        Shape s = new Shape(perChannel);
        NDArray factor = c.in(1).div(c.in(4).add(c.attrFloat("epsilon", 1e-5f)).sqrt()).reshape(s);
        return x.sub(c.in(3).reshape(s)).mul(factor).add(c.in(2).reshape(s));
    }

    /** Normalizes over axes {@code axis..rank-1}: {@code (x - mean) / sqrt(var + eps) * scale + bias}. */
    private static NDArray layerNorm(OpCall c) {
        if (c.node.outputs().size() > 1) {
            throw c.unsupported("only the first output (Y) of LayerNormalization is supported");
        }
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        int[] axes = IntStream.range(normalize(c.attrInt("axis", -1), rank), rank).toArray();
        NDArray centered = x.sub(reduceEach(x, axes, true, NDArray::mean));
        NDArray variance = reduceEach(centered.mul(centered), axes, true, NDArray::mean);
        NDArray y = centered.div(variance.add(c.attrFloat("epsilon", 1e-5f)).sqrt()).mul(c.in(1));
        return c.has(2) ? y.add(c.in(2)) : y;
    }

    private static NDArray flatten(OpCall c) {
        NDArray x = c.in(0);
        Shape s = x.getShape();
        int axis = normalize(c.attrInt("axis", 1), s.dimension());
        return x.reshape(s.slice(0, axis).size(), s.slice(axis).size());
    }

    /** A 0 in the shape copies the input's dimension (unless allowzero), -1 is inferred. */
    private static NDArray reshape(OpCall c) {
        NDArray x = c.in(0);
        long[] dims = c.longs(1);
        if (c.attrInt("allowzero", 0) == 0) {
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] == 0) {
                    dims[i] = x.getShape().get(i);
                }
            }
        }
        return x.reshape(new Shape(dims));
    }

    private static NDArray transpose(OpCall c) {
        NDArray x = c.in(0);
        long[] perm = c.attrInts("perm");
        if (perm == null) {
            return x.transpose();
        }
        return x.transpose(Arrays.stream(perm).mapToInt(Math::toIntExact).toArray());
    }

    /**
     * A single input is returned as is: DJL's {@code NDArrays.concat} of one array returns
     * {@code duplicate()}, which on the PyTorch engine is cut from the autograd graph (DenseNet's first
     * layer of every block concatenates one tensor, and lost most of its gradient that way).
     */
    private static NDArray concat(OpCall c) {
        if (c.inputCount() == 1) {
            return c.in(0);
        }
        NDList parts = new NDList();
        for (int i = 0; i < c.inputCount(); i++) {
            parts.add(c.in(i));
        }
        return NDArrays.concat(parts, normalize(c.attrInt("axis", 0), c.in(0).getShape().dimension()));
    }

    private static NDArray unsqueeze(OpCall c) {
        NDArray x = c.in(0);
        long[] axes = c.axes(1);
        int outRank = x.getShape().dimension() + axes.length;
        int[] sorted = Arrays.stream(axes).mapToInt(a -> normalize(a, outRank)).sorted().toArray();
        for (int a : sorted) {
            x = x.expandDims(a);
        }
        return x;
    }

    private static NDArray squeeze(OpCall c) {
        NDArray x = c.in(0);
        long[] axes = c.axes(1);
        if (axes == null) {
            return x.squeeze();
        }
        int rank = x.getShape().dimension();
        return x.squeeze(Arrays.stream(axes).mapToInt(a -> normalize(a, rank)).toArray());
    }

    /** {@code out[i_0..i_{a-1}, j..., i_{a+1}...] = x[i_0..i_{a-1}, indices[j...], i_{a+1}...]}. */
    private static NDArray gather(OpCall c) {
        NDArray x = c.in(0);
        int axis = normalize(c.attrInt("axis", 0), x.getShape().dimension());
        long[] idx = c.longs(1);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0) {
                idx[i] += x.getShape().get(axis);
            }
        }
        return take(c, x, axis, idx, c.in(1).getShape());
    }

    /**
     * Elements of {@code x} at the non-negative {@code indices} (of shape {@code indexShape}) along {@code axis}:
     * move {@code axis} to the front, take rows, then move the index dimensions back into place. Shared by
     * Gather, the reflect/edge modes of Pad and Resize; its gradient scatters back to the taken rows.
     */
    private static NDArray take(OpCall c, NDArray x, int axis, long[] indices, Shape indexShape) {
        int rank = x.getShape().dimension();
        int[] toFront = IntStream.range(0, rank).map(i -> i == 0 ? axis : (i <= axis ? i - 1 : i)).toArray();
        NDArray front = axis == 0 ? x : x.transpose(toFront);
        NDArray taken = front.get(new NDIndex("{}", c.manager.create(indices)));
        Shape rest = front.getShape().slice(1);
        NDArray shaped = taken.reshape(indexShape.addAll(rest));
        if (axis == 0) {
            return shaped;
        }
        int q = indexShape.dimension();
        int[] back = IntStream.range(0, q + rank - 1)
                .map(i -> i < axis ? q + i : (i < axis + q ? i - axis : i)).toArray();
        return shaped.transpose(back);
    }

    /**
     * Starts, ends, axes and steps are inputs from opset 10 and attributes before. Starts and ends are
     * clamped as ONNX specifies ({@code [0, dim]} for positive steps, {@code [-1, dim-1]} for negative ones);
     * positive steps slice, negative steps take the listed indices.
     */
    private static NDArray slice(OpCall c) {
        NDArray x = c.in(0);
        Shape s = x.getShape();
        int rank = s.dimension();
        boolean inputs = c.opset >= 10;
        long[] starts = inputs ? c.longs(1) : c.attrInts("starts");
        long[] ends = inputs ? c.longs(2) : c.attrInts("ends");
        long[] axes = inputs ? (c.has(3) ? c.longs(3) : null) : c.attrInts("axes");
        if (axes == null) {
            axes = IntStream.range(0, starts.length).asLongStream().toArray();
        }
        long[] steps = inputs && c.has(4) ? c.longs(4) : null;
        long[][] ranges = new long[rank][];
        for (int i = 0; i < axes.length; i++) {
            int a = normalize(axes[i], rank);
            long dim = s.get(a);
            long step = steps == null ? 1 : steps[i];
            if (step == 0) {
                throw c.unsupported("Slice with step 0");
            }
            long start = starts[i] < 0 ? starts[i] + dim : starts[i];
            long end = ends[i] < 0 ? ends[i] + dim : ends[i];
            if (step > 0) {
                start = Math.min(Math.max(start, 0), dim);
                end = Math.min(Math.max(end, 0), dim);
            } else {
                start = Math.min(Math.max(start, 0), dim - 1);
                end = Math.min(Math.max(end, -1), dim - 1);
            }
            ranges[a] = new long[] {start, end, step};
        }
        NDIndex index = new NDIndex();
        for (long[] r : ranges) {
            if (r == null || r[2] < 0) {
                index.addAllDim();
            } else {
                index.addSliceDim(r[0], Math.max(r[0], r[1]), r[2]);
            }
        }
        NDArray y = x.get(index);
        for (int a = 0; a < rank; a++) {
            long[] r = ranges[a];
            if (r != null && r[2] < 0) {
                long[] picked = LongStream.iterate(r[0], i -> i > r[1], i -> i + r[2]).toArray();
                y = take(c, y, a, picked, new Shape(picked.length));
            }
        }
        return y;
    }

    private static NDArray reduce(OpCall c, boolean mean) {
        NDArray x = c.in(0);
        int rank = x.getShape().dimension();
        long[] axes = c.opset >= (mean ? 18 : 13) ? c.longs(1) : c.attrInts("axes");
        boolean keep = c.attrInt("keepdims", 1) != 0;
        if (axes == null || axes.length == 0) {
            if (c.attrInt("noop_with_empty_axes", 0) != 0) {
                return x;
            }
            axes = IntStream.range(0, rank).asLongStream().toArray();
        }
        int[] a = Arrays.stream(axes).mapToInt(v -> normalize(v, rank)).toArray();
        return reduceEach(x, a, keep, mean ? NDArray::mean : NDArray::sum);
    }

    private static NDArray shape(OpCall c) {
        long[] dims = c.in(0).getShape().getShape();
        int rank = dims.length;
        int start = (int) c.attrInt("start", 0);
        int end = (int) c.attrInt("end", rank);
        start = Math.max(0, Math.min(rank, start < 0 ? start + rank : start));
        end = Math.max(start, Math.min(rank, end < 0 ? end + rank : end));
        return c.manager.create(Arrays.copyOfRange(dims, start, end));
    }

    private static NDArray constant(OpCall c) {
        Onnx.AttributeProto a;
        if ((a = c.attr("value")) != null) {
            return NdValues.toNd(c.manager, a.getT(), "Constant node '" + c.node.label() + "'");
        }
        if ((a = c.attr("value_float")) != null) {
            return c.manager.create(a.getF());
        }
        if ((a = c.attr("value_int")) != null) {
            return c.manager.create(a.getI());
        }
        if ((a = c.attr("value_floats")) != null) {
            float[] v = new float[a.getFloatsCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = a.getFloats(i);
            }
            return c.manager.create(v);
        }
        if ((a = c.attr("value_ints")) != null) {
            return c.manager.create(a.getIntsList().stream().mapToLong(Long::longValue).toArray());
        }
        throw c.unsupported("a Constant without a value, value_float(s) or value_int(s) attribute");
    }

    private static NDArray constantOfShape(OpCall c) {
        Shape shape = new Shape(c.longs(0));
        Onnx.AttributeProto a = c.attr("value");
        if (a == null) {
            return c.manager.zeros(shape);
        }
        NDArray v = NdValues.toNd(c.manager, a.getT(), "ConstantOfShape node '" + c.node.label() + "'");
        return v.reshape(new Shape()).broadcast(shape).duplicate();
    }

    private static NDArray range(OpCall c) {
        NDArray start = c.in(0);
        DataType type = start.getDataType();
        float from = start.toType(DataType.FLOAT32, false).getFloat();
        float to = c.in(1).toType(DataType.FLOAT32, false).getFloat();
        float step = c.in(2).toType(DataType.FLOAT32, false).getFloat();
        return c.manager.arange(from, to, step).toType(type, false);
    }

    private static NDArray cast(OpCall c) {
        int to = (int) c.attrInt("to", Onnx.TensorProto.DataType.FLOAT_VALUE);
        DataType type = switch (to) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> DataType.FLOAT32;
            case Onnx.TensorProto.DataType.DOUBLE_VALUE -> DataType.FLOAT64;
            case Onnx.TensorProto.DataType.INT32_VALUE -> DataType.INT32;
            case Onnx.TensorProto.DataType.INT64_VALUE -> DataType.INT64;
            case Onnx.TensorProto.DataType.BOOL_VALUE -> DataType.BOOLEAN;
            default -> throw c.unsupported("Cast to ONNX type " + Onnx.TensorProto.DataType.forNumber(to));
        };
        NDArray x = c.in(0);
        return x.getDataType() == type ? x : x.toType(type, false);
    }

    /** DJL's where wants equal shapes: the three inputs are broadcast to their common shape first (ONNX broadcasts). */
    private static NDArray where(OpCall c) {
        Shape shape = broadcastShape(broadcastShape(c.in(0).getShape(), c.in(1).getShape()), c.in(2).getShape());
        NDArray condition = c.in(0).toType(DataType.BOOLEAN, false);
        return NDArrays.where(broadcastTo(condition, shape), broadcastTo(c.in(1), shape), broadcastTo(c.in(2), shape));
    }

    private static NDArray broadcastTo(NDArray x, Shape shape) {
        return x.getShape().equals(shape) ? x : x.broadcast(shape);
    }

    /** Numpy broadcasting of two shapes (ONNX Expand is bidirectional). */
    private static Shape broadcastShape(Shape a, Shape b) {
        int rank = Math.max(a.dimension(), b.dimension());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.dimension() ? 1 : a.get(i - (rank - a.dimension()));
            long db = i < rank - b.dimension() ? 1 : b.get(i - (rank - b.dimension()));
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** A reduction applied one axis at a time (DJL's PyTorch engine reduces one axis per call with keepDims). */
    private static NDArray reduceEach(NDArray x, int[] axes, boolean keep, Reduction op) {
        int[] sorted = Arrays.stream(axes).sorted().toArray();
        NDArray y = x;
        for (int i = sorted.length - 1; i >= 0; i--) {
            y = op.apply(y, new int[] {sorted[i]}, keep);
        }
        return y;
    }

    private interface Reduction {
        NDArray apply(NDArray x, int[] axes, boolean keepDims);
    }

    private static int normalize(long axis, int rank) {
        return Math.toIntExact(axis < 0 ? axis + rank : axis);
    }
}
