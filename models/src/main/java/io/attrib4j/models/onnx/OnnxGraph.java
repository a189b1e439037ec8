package io.attrib4j.models.onnx;

import io.attrib4j.models.ModelSupport;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ModelInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * A parsed ONNX graph: its one data input, its first output, its initializers (weights) and its nodes
 * in topological order. Parsing uses the ONNX protobuf classes that ship with nd4j-api.
 */
final class OnnxGraph {

    /** One node: operator type, value names in and out, attributes by name. */
    record Node(String name, String op, String domain, List<String> inputs, List<String> outputs, Map<String, Onnx.AttributeProto> attributes) {

        /** The node's name for messages: its own name, or its operator and first output. */
        String label() {
            return name.isEmpty() ? op + " -> " + (outputs.isEmpty() ? "?" : outputs.get(0)) : name;
        }

        /** Whether the operator is from the default ONNX domain (not a vendor's custom operator). */
        boolean domainIsOnnx() {
            return domain.isEmpty() || domain.equals("ai.onnx");
        }
    }

    final String inputName;
    final String outputName;
    /** Every graph output, in order; {@link #outputName} is the first. */
    final List<String> outputNames;
    final Optional<Shape> exampleShape;
    final Map<String, Onnx.TensorProto> initializers;
    final List<Node> nodes;
    final long opset;

    private OnnxGraph(String inputName, List<String> outputNames, Optional<Shape> exampleShape,
            Map<String, Onnx.TensorProto> initializers, List<Node> nodes, long opset) {
        this.inputName = inputName;
        this.outputName = outputNames.get(0);
        this.outputNames = List.copyOf(outputNames);
        this.exampleShape = exampleShape;
        this.initializers = initializers;
        this.nodes = nodes;
        this.opset = opset;
    }

    /** Name, format "onnx", SHA-256 of the file, and the example shape when the graph fixes it. */
    ModelInfo info(String name, byte[] fileBytes) {
        ModelInfo info = ModelInfo.of(name, "onnx", OnnxFiles.sha256(fileBytes));
        return exampleShape.map(info::withExampleShape).orElse(info);
    }

    /** Parses a serialized {@code ModelProto}. */
    static OnnxGraph parse(byte[] bytes, String fileName) {
        Onnx.ModelProto model;
        try {
            model = Onnx.ModelProto.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelLoadException("'" + fileName + "' is not a readable ONNX model: "
                    + ModelSupport.firstLine(e.getMessage()) + "; the file may be truncated or not ONNX at all "
                    + "(export it with torch.onnx.export or tf2onnx)", e);
        }
        Onnx.GraphProto g = model.getGraph();
        if (!model.hasGraph() || g.getNodeCount() == 0 || g.getOutputCount() == 0) {
            throw new ModelLoadException("'" + fileName + "' parsed, but holds no ONNX graph with nodes and outputs; "
                    + "check that it is an .onnx model file (export it with torch.onnx.export or tf2onnx)");
        }
        Map<String, Onnx.TensorProto> inits = new LinkedHashMap<>();
        for (Onnx.TensorProto t : g.getInitializerList()) {
            inits.put(t.getName(), t);
        }
        List<Onnx.ValueInfoProto> dataInputs = g.getInputList().stream().filter(v -> !inits.containsKey(v.getName())).toList();
        if (dataInputs.size() != 1) {
            throw new UnsupportedModelException("ONNX model '" + fileName + "' has " + dataInputs.size() + " data inputs "
                    + dataInputs.stream().map(Onnx.ValueInfoProto::getName).toList() + "; attrib4j explains models with "
                    + "exactly one input tensor: export a wrapper that takes one input");
        }
        long opset = model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(Onnx.OperatorSetIdProto::getVersion).findFirst().orElse(13);
        return new OnnxGraph(dataInputs.get(0).getName(),
                g.getOutputList().stream().map(Onnx.ValueInfoProto::getName).toList(), exampleShape(dataInputs.get(0)),
                inits, sorted(g.getNodeList(), fileName), opset);
    }

    /** The input's dimensions after the batch, when all of them are fixed numbers. */
    private static Optional<Shape> exampleShape(Onnx.ValueInfoProto input) {
        if (!input.getType().hasTensorType() || !input.getType().getTensorType().hasShape()) {
            return Optional.empty();
        }
        List<Onnx.TensorShapeProto.Dimension> dims = input.getType().getTensorType().getShape().getDimList();
        if (dims.isEmpty()) {
            return Optional.empty();
        }
        int[] example = new int[dims.size() - 1];
        for (int i = 1; i < dims.size(); i++) {
            if (!dims.get(i).hasDimValue() || dims.get(i).getDimValue() <= 0) {
                return Optional.empty();
            }
            example[i - 1] = Math.toIntExact(dims.get(i).getDimValue());
        }
        return Optional.of(Shape.of(example));
    }

    /** Kahn's algorithm; ONNX requires sorted nodes, but some tools write them out of order. */
    private static List<Node> sorted(List<Onnx.NodeProto> protos, String fileName) {
        List<Node> nodes = new ArrayList<>();
        Map<String, Integer> producer = new HashMap<>();
        for (Onnx.NodeProto p : protos) {
            Map<String, Onnx.AttributeProto> attrs = new LinkedHashMap<>();
            p.getAttributeList().forEach(a -> attrs.put(a.getName(), a));
            Node n = new Node(p.getName(), p.getOpType(), p.getDomain(), List.copyOf(p.getInputList()), List.copyOf(p.getOutputList()), attrs);
            n.outputs().forEach(o -> producer.put(o, nodes.size()));
            nodes.add(n);
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> readers = new ArrayList<>();
        nodes.forEach(n -> readers.add(new ArrayList<>()));
        for (int i = 0; i < nodes.size(); i++) {
            Set<Integer> deps = new HashSet<>();
            for (String in : nodes.get(i).inputs()) {
                Integer p = producer.get(in);
                if (p != null && deps.add(p)) {
                    readers.get(p).add(i);
                }
            }
            pending[i] = deps.size();
        }
        Deque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < pending.length; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int i = ready.poll();
            order.add(nodes.get(i));
            for (int r : readers.get(i)) {
                if (--pending[r] == 0) {
                    ready.add(r);
                }
            }
        }
        if (order.size() != nodes.size()) {
            throw new ModelLoadException("ONNX model '" + fileName + "' has a cycle among its nodes; "
                    + "an ONNX graph must be acyclic: re-export the model");
        }
        return List.copyOf(order);
    }
}
