package io.attrib4j.models.onnx;

import static io.attrib4j.models.onnx.OnnxBuilder.attr;
import static io.attrib4j.models.onnx.OnnxBuilder.in;
import static io.attrib4j.models.onnx.OnnxBuilder.ints;
import static io.attrib4j.models.onnx.OnnxBuilder.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import java.util.List;
import onnx.Onnx;
import org.junit.jupiter.api.Test;

/**
 * The staged view of ONNX graphs: the oracle's cnn as a chain of nodes with their kinds, stages that
 * compose to the model's forward and backward, the activations DeepLIFT needs against their formulas,
 * and the graphs it refuses.
 */
class OnnxStagesTest {

    @Test
    void cnnStagesAreTheNodesWithTheirKinds() {
        try (StagedModel m = OnnxStages.of(OnnxModel.load(Oracle.modelFile("cnn_full.onnx")))) {
            assertEquals(List.of(Stage.Kind.LINEAR, Stage.Kind.RELU, Stage.Kind.MAX_POOL, Stage.Kind.LINEAR,
                    Stage.Kind.RELU, Stage.Kind.LINEAR, Stage.Kind.LINEAR, Stage.Kind.LINEAR),
                    m.stages().stream().map(Stage::kind).toList());
            assertEquals("/features/features.4/Relu", m.stages().get(4).name());
            assertEquals("onnx", m.info().format());
        }
    }

    @Test
    void stagesComposeToTheModelForwardAndBackward() {
        for (String[] net : new String[][] {{"mlp.onnx", "mlp"}, {"cnn_full.onnx", "cnn"}}) {
            try (StagedModel m = OnnxStages.of(OnnxModel.load(Oracle.modelFile(net[0])))) {
                Tensor x = Oracle.load(net[1] + "/x");
                Target t = Target.perExample(Oracle.loadInts(net[1] + "/targets"));
                Tensor[] acts = chainedForward(m, x);
                Close.relative(Oracle.load(net[1] + "/logits"), acts[acts.length - 1], 1e-5, net[0] + " chained forward");
                Close.relative(Oracle.load(net[1] + "/saliency_signed"), chainedBackward(m, acts, t), 1e-4,
                        net[0] + " chained backward");
            }
        }
    }

    /** Every activation DeepLIFT has a rule for, a Constant-fed Reshape, and a softmax on the last axis. */
    private static Path activationChain() {
        OnnxBuilder b = new OnnxBuilder(21).input("x", 6);
        String h = b.node("Gemm", in("x", b.random(0.8f, 8, 6), b.random(0.1f, 8)), attr("transB", 1L));
        h = b.node("LeakyRelu", in(h), attr("alpha", 0.2f));
        h = b.node("Elu", in(h), attr("alpha", 0.7f));
        h = b.node("Softplus", in(h));
        h = b.node("Sub", in(b.random(1f, 8), h));
        h = b.node("Tanh", in(h));
        String shape = b.node("Constant", in(), Onnx.AttributeProto.newBuilder().setName("value")
                .setType(Onnx.AttributeProto.AttributeType.TENSOR).setT(Onnx.TensorProto.newBuilder()
                        .setDataType(Onnx.TensorProto.DataType.INT64_VALUE).addDims(3).addInt64Data(0)
                        .addInt64Data(2).addInt64Data(4))
                .build());
        h = b.node("Sigmoid", in(b.node("Reshape", in(h, shape))));
        h = b.node("Softmax", in(b.node("Mul", in(h, b.random(2f, 4)))), attr("axis", -1L));
        b.output(b.node("Flatten", in(h)));
        return b.write();
    }

    @Test
    void everyActivationIsAStageAndTheChainComposes() {
        try (StagedModel m = OnnxStages.of(OnnxModel.load(activationChain()))) {
            assertEquals(List.of(Stage.Kind.LINEAR, Stage.Kind.LEAKY_RELU, Stage.Kind.ELU, Stage.Kind.SOFTPLUS,
                    Stage.Kind.LINEAR, Stage.Kind.TANH, Stage.Kind.LINEAR, Stage.Kind.SIGMOID, Stage.Kind.LINEAR,
                    Stage.Kind.SOFTMAX, Stage.Kind.LINEAR), m.stages().stream().map(Stage::kind).toList());
            Tensor x = GeneratedGraphParityTest.random(Shape.of(3, 6), 5);
            Target t = Target.perExample(0, 3, 7);
            Tensor[] acts = chainedForward(m, x);
            Close.relative(m.forward(x), acts[acts.length - 1], 1e-6, "chained forward");
            Close.relative(m.gradients(x, t).inputGradient(), chainedBackward(m, acts, t), 1e-5, "chained backward");
        }
    }

    @Test
    void newActivationsFollowTheirOnnxFormulas() {
        try (StagedModel m = OnnxStages.of(OnnxModel.load(activationChain()))) {
            Tensor x = Tensor.of(new float[] {-2f, -0.5f, 0f, 0.3f, 1.5f, 4f}, Shape.of(1, 6));
            float[] leaky = m.stages().get(1).forward(x).data();
            float[] elu = m.stages().get(2).forward(x).data();
            float[] softplus = m.stages().get(3).forward(x).data();
            for (int i = 0; i < x.data().length; i++) {
                double v = x.data()[i];
                assertEquals(v < 0 ? 0.2 * v : v, leaky[i], 1e-6, "LeakyRelu(alpha=0.2)");
                assertEquals(v < 0 ? 0.7 * (Math.exp(v) - 1) : v, elu[i], 1e-6, "Elu(alpha=0.7)");
                assertEquals(Math.log1p(Math.exp(v)), softplus[i], 1e-6, "Softplus");
            }
        }
    }

    /** PyTorch's AvgPool2d(3, 2, padding=1) export: a Constant-fed Pad and an AveragePool, both linear stages. */
    @Test
    void exportedAveragePoolWithPadIsAChainOfLinearStages() {
        try (StagedModel m = OnnxStages.of(OnnxModel.load(OnnxOpsTest.resource("avg_pool_padded_op13.onnx")))) {
            assertEquals(List.of("Pad", "AveragePool"), m.stages().stream().map(s -> s.name().replaceAll(".*/", "")).toList());
            assertEquals(List.of(Stage.Kind.LINEAR, Stage.Kind.LINEAR), m.stages().stream().map(Stage::kind).toList());
            composes(m, GeneratedGraphParityTest.random(Shape.of(2, 3, 4, 5), 4), Target.perExample(3, 11));
        }
    }

    /** Pad in every mode, Slice, Resize, Gather and a reduction, between nonlinearities. */
    private static Path shapeChain() {
        OnnxBuilder b = new OnnxBuilder(22).input("x", 2, 6, 6);
        String h = b.node("Conv", in("x", b.random(0.5f, 3, 2, 3, 3), b.random(0.1f, 3)));
        h = b.node("Pad", in(h, b.longs(0, 0, 1, 2, 0, 0, 2, 1)), text("mode", "reflect"));
        h = b.node("Relu", in(h));
        h = b.node("Pad", in(h, b.longs(0, 0, 1, 0, 0, 0, 0, 1)), text("mode", "edge"));
        h = b.node("Pad", in(h, b.longs(0, 0, 0, 1, 0, 0, 1, 0), b.floats(new float[] {0.25f})));
        h = b.node("Slice", in(h, b.longs(0, 0), b.longs(3, 8), b.longs(1, 2), b.longs(2, 3)));
        h = b.node("Resize", in(h, "", b.floats(new float[] {1, 1, 1.5f, 0.5f}, 4)), text("mode", "linear"));
        h = b.node("Tanh", in(h));
        h = b.node("Gather", in(h, b.longs(1, 0)), attr("axis", 1L));
        h = b.node("ReduceMean", in(h), ints("axes", 3), attr("keepdims", 0L));
        h = b.node("Flatten", in(h));
        b.output(b.node("Gemm", in(h, b.random(0.5f, 4, 8)), attr("transB", 1L)));
        return b.write();
    }

    @Test
    void padAndShapeOperatorsAreLinearStagesThatCompose() {
        try (StagedModel m = OnnxStages.of(OnnxModel.load(shapeChain()))) {
            List<Stage.Kind> expected = new java.util.ArrayList<>(java.util.Collections.nCopies(12, Stage.Kind.LINEAR));
            expected.set(2, Stage.Kind.RELU);
            expected.set(7, Stage.Kind.TANH);
            assertEquals(expected, m.stages().stream().map(Stage::kind).toList());
            // one example: on this machine libtorch 2.5.1's Conv input gradient is wrong for batches > 1 at such
            // small sizes (DJL's conv2d and TorchScript alike; PyTorch 1.13's gradcheck passes), which is no Pad's fault
            composes(m, GeneratedGraphParityTest.random(Shape.of(1, 2, 6, 6), 8), Target.perExample(3));
        }
    }

    @Test
    void residualGraphIsRefusedNamingTheNode() {
        try (OnnxModel model = OnnxModel.load(GeneratedGraphParityTest.residualBlock())) {
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> OnnxStages.of(model));
            assertTrue(e.getMessage().contains("not a chain") && e.getMessage().contains("Add"), e.getMessage());
            assertTrue(e.getMessage().contains("IntegratedGradients"), e.getMessage());
        }
    }

    @Test
    void operatorWithoutRuleIsRefusedNamingNodeAndOperator() {
        OnnxBuilder b = new OnnxBuilder(3).input("x", 4);
        b.output(b.node("Erf", in(b.node("MatMul", in("x", b.random(1f, 4, 2))))));
        try (OnnxModel model = OnnxModel.load(b.write())) {
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> OnnxStages.of(model));
            assertTrue(e.getMessage().contains("Erf") && e.getMessage().contains("no rule"), e.getMessage());
        }
    }

    /** The chained stage forward and backward equal the model's forward and input gradient. */
    private static void composes(StagedModel m, Tensor x, Target t) {
        Tensor[] acts = chainedForward(m, x);
        Close.relative(m.forward(x), acts[acts.length - 1], 1e-6, "chained forward");
        Close.relative(m.gradients(x, t).inputGradient(), chainedBackward(m, acts, t), 1e-5, "chained backward");
    }

    private static Tensor[] chainedForward(StagedModel m, Tensor x) {
        Tensor[] acts = new Tensor[m.stages().size() + 1];
        acts[0] = x;
        for (int s = 0; s < m.stages().size(); s++) {
            acts[s + 1] = m.stages().get(s).forward(acts[s]);
        }
        return acts;
    }

    private static Tensor chainedBackward(StagedModel m, Tensor[] acts, Target t) {
        Tensor g = t.seed(acts[acts.length - 1]);
        for (int s = m.stages().size() - 1; s >= 0; s--) {
            g = m.stages().get(s).backward(acts[s], g);
        }
        return g;
    }
}
