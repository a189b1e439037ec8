package io.attrib4j.models.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import onnx.Onnx;

/** Builds small ONNX graphs in tests with the protobuf builder API (opset 13, dynamic batch). */
final class OnnxBuilder {
    private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder().setName("test");
    private final SplittableRandom random;
    private int counter;

    OnnxBuilder(long seed) {
        random = new SplittableRandom(seed);
    }

    /** Declares the float input {@code name} with a dynamic batch and the given example dimensions. */
    OnnxBuilder input(String name, long... exampleDims) {
        graph.addInput(valueInfo(name, Onnx.TensorProto.DataType.FLOAT_VALUE, exampleDims));
        return this;
    }

    /** Declares an int64 input. */
    OnnxBuilder intInput(String name, long... exampleDims) {
        graph.addInput(valueInfo(name, Onnx.TensorProto.DataType.INT64_VALUE, exampleDims));
        return this;
    }

    OnnxBuilder output(String name) {
        graph.addOutput(Onnx.ValueInfoProto.newBuilder().setName(name));
        return this;
    }

    private static Onnx.ValueInfoProto valueInfo(String name, int type, long... exampleDims) {
        Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder()
                .addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
        for (long d : exampleDims) {
            shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return Onnx.ValueInfoProto.newBuilder().setName(name).setType(Onnx.TypeProto.newBuilder()
                .setTensorType(Onnx.TypeProto.Tensor.newBuilder().setElemType(type).setShape(shape))).build();
    }

    /** A float initializer with values drawn uniformly from [-scale, scale); returns its name. */
    String random(float scale, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        float[] v = new float[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return floats(v, dims);
    }

    /** A float initializer with the given values; returns its name. */
    String floats(float[] values, long... dims) {
        String name = "w" + counter++;
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.FLOAT_VALUE);
        for (long d : dims) {
            t.addDims(d);
        }
        for (float f : values) {
            t.addFloatData(f);
        }
        graph.addInitializer(t);
        return name;
    }

    /** An int64 initializer (shapes, axes, indices); returns its name. */
    String longs(long... values) {
        String name = "i" + counter++;
        Onnx.TensorProto.Builder t = Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        graph.addInitializer(t);
        return name;
    }

    /** A 0-d int64 initializer (a scalar index); returns its name. */
    String scalar(long value) {
        String name = "s" + counter++;
        graph.addInitializer(Onnx.TensorProto.newBuilder().setName(name)
                .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addInt64Data(value));
        return name;
    }

    /** Adds a node with one output, named after the operator; returns the output name. */
    String node(String op, String[] inputs, Onnx.AttributeProto... attributes) {
        return nodeOutputs(op, inputs, 1, attributes)[0];
    }

    /** Adds a node with {@code count} outputs; returns their names. */
    String[] nodeOutputs(String op, String[] inputs, int count, Onnx.AttributeProto... attributes) {
        String[] outs = new String[count];
        Onnx.NodeProto.Builder n = Onnx.NodeProto.newBuilder().setOpType(op);
        for (int i = 0; i < count; i++) {
            outs[i] = op.toLowerCase() + "_" + counter++;
            n.addOutput(outs[i]);
        }
        n.setName(op + "_" + counter);
        for (String in : inputs) {
            n.addInput(in);
        }
        for (Onnx.AttributeProto a : attributes) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return outs;
    }

    static String[] in(String... names) {
        return names;
    }

    static Onnx.AttributeProto attr(String name, long value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INT).setI(value).build();
    }

    static Onnx.AttributeProto attr(String name, float value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static Onnx.AttributeProto text(String name, String value) {
        return Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.STRING)
                .setS(org.nd4j.shade.protobuf.ByteString.copyFromUtf8(value)).build();
    }

    static Onnx.AttributeProto ints(String name, long... values) {
        Onnx.AttributeProto.Builder a = Onnx.AttributeProto.newBuilder().setName(name).setType(Onnx.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    /** The model at opset 13, written to a temporary file. */
    Path write() {
        return write(13);
    }

    /** The model at the given opset, written to a temporary file. */
    Path write(int opset) {
        Onnx.ModelProto model = Onnx.ModelProto.newBuilder().setIrVersion(8).setProducerName("attrib4j-test")
                .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
        try {
            Path p = Files.createTempFile("attrib4j-test", ".onnx");
            p.toFile().deleteOnExit();
            Files.write(p, model.toByteArray());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
