package io.attrib4j.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import onnx.Onnx;

/** Copies between attrib4j {@link Tensor}s, ONNX {@code TensorProto}s and DJL {@link NDArray}s. */
final class NdValues {
    private NdValues() {}

    static NDArray toNd(NDManager manager, Tensor t) {
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(t.shape().toLongArray());
        return t.dtype() == DType.INT64 ? manager.create(t.toLongArray(), shape) : manager.create(t.data(), shape);
    }

    /** Float outputs as FLOAT32, integer ones as INT64 (whole numbers held as floats). */
    static Tensor toTensor(NDArray a) {
        io.attrib4j.engine.Shape shape = io.attrib4j.engine.Shape.of(a.getShape().getShape());
        if (a.getDataType().isInteger() || a.getDataType() == DataType.BOOLEAN) {
            return Tensor.ofInt64(a.toType(DataType.INT64, false).toLongArray(), shape);
        }
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return Tensor.of(f.toFloatArray(), shape);
    }

    /** An initializer or constant: FLOAT, DOUBLE, INT32, INT64 and BOOL, from raw or typed fields. */
    static NDArray toNd(NDManager manager, Onnx.TensorProto t, String where) {
        ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(t.getDimsList().stream().mapToLong(Long::longValue).toArray());
        int n = (int) shape.size();
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = !t.getRawData().isEmpty();
        switch (t.getDataType()) {
            case Onnx.TensorProto.DataType.FLOAT_VALUE -> {
                float[] v = new float[n];
                if (hasRaw) {
                    raw.asFloatBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getFloatData(i);
                    }
                }
                return manager.create(v, shape);
            }
            case Onnx.TensorProto.DataType.DOUBLE_VALUE -> {
                double[] v = new double[n];
                if (hasRaw) {
                    raw.asDoubleBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getDoubleData(i);
                    }
                }
                return manager.create(v, shape);
            }
            case Onnx.TensorProto.DataType.INT64_VALUE -> {
                long[] v = new long[n];
                if (hasRaw) {
                    raw.asLongBuffer().get(v);
                } else {
                    for (int i = 0; i < n; i++) {
                        v[i] = t.getInt64Data(i);
                    }
                }
                return manager.create(v, shape);
            }
            case Onnx.TensorProto.DataType.INT32_VALUE, Onnx.TensorProto.DataType.BOOL_VALUE -> {
                int[] v = new int[n];
                for (int i = 0; i < n; i++) {
                    v[i] = hasRaw ? (t.getDataType() == Onnx.TensorProto.DataType.BOOL_VALUE ? raw.get(i) : raw.getInt(4 * i))
                            : t.getInt32Data(i);
                }
                NDArray a = manager.create(v, shape);
                return t.getDataType() == Onnx.TensorProto.DataType.BOOL_VALUE ? a.toType(DataType.BOOLEAN, false) : a;
            }
            default -> throw new UnsupportedModelException("tensor '" + t.getName() + "' of " + where + " has ONNX data type "
                    + Onnx.TensorProto.DataType.forNumber(t.getDataType()) + ", which OnnxModel does not read (it reads "
                    + "FLOAT, DOUBLE, INT32, INT64, BOOL); convert the model's weights to float32, or use OnnxRuntimeModel "
                    + "for forward-only methods");
        }
    }
}
