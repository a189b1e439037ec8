package io.attrib4j.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.attrib4j.engine.UnsupportedModelException;
import java.util.List;
import onnx.Onnx;

/** One node being executed: its input arrays, its attributes with ONNX defaults, the call's manager. */
final class OpCall {
    final OnnxGraph.Node node;
    final NDManager manager;
    final long opset;
    private final List<NDArray> inputs;

    OpCall(OnnxGraph.Node node, List<NDArray> inputs, NDManager manager, long opset) {
        this.node = node;
        this.inputs = inputs;
        this.manager = manager;
        this.opset = opset;
    }

    /** Input {@code i}; a missing required input is a malformed graph. */
    NDArray in(int i) {
        NDArray a = has(i) ? inputs.get(i) : null;
        if (a == null) {
            throw unsupported("input " + i + " is missing");
        }
        return a;
    }

    boolean has(int i) {
        return i < inputs.size() && inputs.get(i) != null;
    }

    int inputCount() {
        return inputs.size();
    }

    /** Input {@code i} read to the host as integers (shapes, axes, indices), or {@code null} if absent. */
    long[] longs(int i) {
        return has(i) ? inputs.get(i).toType(ai.djl.ndarray.types.DataType.INT64, false).toLongArray() : null;
    }

    /** Input {@code i} as one number (a 0-d or one-element tensor: a bound, a fill value). */
    double scalar(int i) {
        return in(i).toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray()[0];
    }

    long attrInt(String name, long fallback) {
        Onnx.AttributeProto a = node.attributes().get(name);
        return a == null ? fallback : a.getI();
    }

    float attrFloat(String name, float fallback) {
        Onnx.AttributeProto a = node.attributes().get(name);
        return a == null ? fallback : a.getF();
    }

    String attrString(String name, String fallback) {
        Onnx.AttributeProto a = node.attributes().get(name);
        return a == null ? fallback : a.getS().toStringUtf8();
    }

    /** An INTS attribute, or {@code null} if absent. */
    long[] attrInts(String name) {
        Onnx.AttributeProto a = node.attributes().get(name);
        return a == null ? null : a.getIntsList().stream().mapToLong(Long::longValue).toArray();
    }

    Onnx.AttributeProto attr(String name) {
        return node.attributes().get(name);
    }

    /** The axes of opset-13 style ops: input {@code i} if given, else the {@code axes} attribute (older opsets). */
    long[] axes(int i) {
        long[] fromInput = longs(i);
        return fromInput != null ? fromInput : attrInts("axes");
    }

    UnsupportedModelException unsupported(String what) {
        return new UnsupportedModelException("ONNX node '" + node.label() + "' (" + node.op() + "): " + what
                + "; OnnxModel cannot run it with gradients. Forward-only methods can still use OnnxRuntimeModel");
    }
}
