package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.models.zoo.OracleNets;
import io.attrib4j.models.zoo.Zoo;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import io.attrib4j.testkit.PoolingHeadModel;
import io.attrib4j.testkit.ToyModels;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CAM family: axioms on a hand-written model, then Captum's LayerGradCam numbers on the oracle CNN. */
class CamTest {
    private static final double REL = 1e-4;

    /** The 2nd ReLU's output in {@code cnn_full.onnx} (Captum's {@code features[4]}), read from the graph. */
    static final String ONNX_RELU2 = "/features/features.4/Relu_output_0";

    static PoolingHeadModel poolingHead(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[][] w = new double[3][4];
        for (double[] row : w) {
            for (int j = 0; j < row.length; j++) {
                row[j] = r.nextDouble(-1, 1);
            }
        }
        return new PoolingHeadModel(w, new double[] {0.1, -0.2, 0.3}, 5, 6);
    }

    static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(d, shape);
    }

    @Test
    void hiResCamEqualsGradCamWhenTheGradientIsConstantPerChannel() {
        PoolingHeadModel m = poolingHead(1);
        Tensor x = random(Shape.of(2, 4, 5, 6), 2);
        Target t = Target.perExample(2, 0);
        Tensor grad = GradCam.builder().optLayer("id").build().attribute(m, x, t).values();
        Tensor hires = HiResCam.builder().optLayer("id").build().attribute(m, x, t).values();
        assertEquals(Shape.of(2, 1, 5, 6), grad.shape());
        Close.relative(grad, hires, 1e-6, "HiResCAM vs Grad-CAM under a pooling head");
    }

    @Test
    void gradCamOnThePoolingHeadIsTheWeightedChannelSum() {
        // expected by hand: w[c] = W[t][c] / hw, cam = sum_c w[c] x[c]
        double[][] w = {{1, -2}, {0.5, 3}};
        PoolingHeadModel m = new PoolingHeadModel(w, new double[] {0, 0}, 1, 2);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 2, 1, 2);
        Tensor cam = GradCam.builder().optLayer("id").build().attribute(m, x, Target.classIndex(1)).values();
        Close.absolute(new float[] {(float) (0.25 * 1 + 1.5 * 3), (float) (0.25 * 2 + 1.5 * 4)}, cam.data(), 1e-6, "cam");
    }

    @Test
    void withReluEveryCamIsNonNegative() {
        PoolingHeadModel m = poolingHead(3);
        Tensor x = random(Shape.of(3, 4, 5, 6), 4);
        for (CamMethod.Builder<?> b : new CamMethod.Builder<?>[] {
            GradCam.builder(), GradCamPlusPlus.builder(), HiResCam.builder()}) {
            Tensor plain = b.optLayer("id").build().attribute(m, x, Target.classIndex(1)).values();
            Tensor relu = b.optRelu(true).build().attribute(m, x, Target.classIndex(1)).values();
            boolean anyNegative = false;
            for (int i = 0; i < relu.size(); i++) {
                assertTrue(relu.data()[i] >= 0, "negative value with ReLU");
                assertEquals(Math.max(plain.data()[i], 0), relu.data()[i], 0f);
                anyNegative |= plain.data()[i] < 0;
            }
            assertTrue(anyNegative, "the case must have negative values without ReLU to test anything");
        }
    }

    @Test
    void gradCamPlusPlusMatchesTheClosedFormOnOneChannel() {
        // one channel, two positions, A = (1, 3), G = W/hw = 0.5 / 2 = 0.25 everywhere: sum A = 4
        PoolingHeadModel m = new PoolingHeadModel(new double[][] {{0.5}}, new double[] {0}, 1, 2);
        Tensor x = Tensor.of(new float[] {1, 3}, 1, 1, 1, 2);
        double g = 0.25;
        double alpha = g * g / (2 * g * g + 4 * g * g * g + 1e-6);
        double wc = 2 * alpha * g;
        Tensor cam = GradCamPlusPlus.builder().optLayer("id").build().attribute(m, x, Target.classIndex(0)).values();
        Close.absolute(new float[] {(float) wc, (float) (3 * wc)}, cam.data(), 1e-7, "Grad-CAM++");
    }

    @Test
    void aLayerThatIsNotFourDimensionalIsRefused() {
        PoolingHeadModel m = poolingHead(5);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> GradCam.builder().optLayer("flat")
                .build().attribute(m, random(Shape.of(1, 4, 5, 6), 6), Target.classIndex(0)));
        assertTrue(e.getMessage().contains("[1, 120]") && e.getMessage().contains("flat"), e.getMessage());
    }

    @Test
    void modelsWithoutLayersAndMissingLayerChoicesAreRefused() {
        var linear = ToyModels.linear(new double[][] {{1, 2}}, new double[] {0});
        UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                () -> GradCam.builder().optLayer("x").build().attribute(linear, Tensor.of(new float[2], 1, 2),
                        Target.classIndex(0)));
        assertTrue(e.getMessage().contains("split"), e.getMessage());
        InvalidOptionException none = assertThrows(InvalidOptionException.class, () -> GradCam.builder().build()
                .attribute(poolingHead(7), random(Shape.of(1, 4, 5, 6), 8), Target.classIndex(0)));
        assertTrue(none.getMessage().contains("[id, flat]"), none.getMessage());
        assertThrows(InvalidOptionException.class, () -> GradCam.builder().optLayer(" ").build());
    }

    @Test
    void plainTorchScriptFileExplainsHowToSplitIt() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"))) {
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> GradCam.builder()
                    .optLayer("features.4").build().attribute(m, Oracle.load("cnn/x"), Target.classIndex(0)));
            assertTrue(e.getMessage().contains("loadSplit") && e.getMessage().contains("head(a)"), e.getMessage());
        }
    }

    @Test
    void unknownLayerNameListsTheLayers() {
        try (DjlBlockModel m = oracleCnn()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> GradCam.builder()
                    .optLayer("features.7").build().attribute(m, Oracle.load("cnn/x"), Target.classIndex(0)));
            assertTrue(e.getMessage().contains("features.4") && e.getMessage().contains("head.2"), e.getMessage());
        }
    }

    static DjlBlockModel oracleCnn() {
        Map<String, Tensor> dict = new LinkedHashMap<>();
        for (String layer : new String[] {"features.0", "features.3", "head.2"}) {
            for (String p : new String[] {"weight", "bias"}) {
                dict.put(layer + "." + p, Oracle.load("cnn/weights/" + layer + "." + p));
            }
        }
        return OracleNets.cnn(dict);
    }

    /** (model, layer or null for the model's only layer). */
    private static Stream<Arguments> cnnModels() {
        return Stream.of(Arguments.of("cnn_features.pt + cnn_head.pt", null), Arguments.of("DJL block", "features.4"),
                Arguments.of("cnn_full.onnx", ONNX_RELU2));
    }

    private static LayerModel open(String which) {
        if (which.endsWith(".onnx")) {
            return OnnxModel.load(Oracle.modelFile(which));
        }
        return which.startsWith("DJL") ? oracleCnn() : TorchScriptModel.loadSplit(
                Oracle.modelFile("cnn_features.pt"), Oracle.modelFile("cnn_head.pt"), Shape.of(3, 32, 32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cnnModels")
    void gradCamMatchesCaptum(String which, String layer) {
        Tensor x = Oracle.load("cnn/x");
        Target t = Target.perExample(Oracle.loadInts("cnn/targets"));
        try (LayerModel m = open(which)) {
            for (boolean relu : new boolean[] {false, true}) {
                String name = relu ? "cnn/gradcam_relu" : "cnn/gradcam";
                for (Upsample up : Upsample.values()) {
                    String ref = up == Upsample.NONE ? name : name + "_up_" + up.name().toLowerCase();
                    Attribution a = GradCam.builder().optLayer(layer).optRelu(relu).optUpsample(up).build()
                            .attribute(m, x, t);
                    Close.relative(Oracle.load(ref), a.values(), REL, which + " " + ref);
                    assertEquals(relu, a.provenance().parameters().get("relu"));
                    assertEquals(layer == null ? TorchScriptModel.FEATURES : layer,
                            a.provenance().parameters().get("layer"));
                }
            }
        }
    }

    /**
     * Grad-CAM time on a ResNet-18 (224x224, 10 classes) at its last stage; run with
     * {@code -Dattrib4j.timing=true}. Prints the median of 10 calls after 3 warm-up calls.
     */
    @Test
    @EnabledIfSystemProperty(named = "attrib4j.timing", matches = "true")
    void gradCamTimeOnResNet18LastStage() {
        try (DjlBlockModel m = Zoo.resnet18(10, 224, 42)) {
            var cuts = m.cutPoints();
            String last = m.cutPoints().stream().filter(n -> m.layerActivation(Tensor.zeros(Shape.of(1, 3, 224, 224)), n)
                    .shape().rank() == 4).reduce((a, b) -> b).orElseThrow();
            Tensor x = random(Shape.of(1, 3, 224, 224), 9);
            GradCam cam = GradCam.builder().optLayer(last).optUpsample(Upsample.BILINEAR).build();
            long[] ns = new long[13];
            for (int i = 0; i < ns.length; i++) {
                long t0 = System.nanoTime();
                cam.attribute(m, x, Target.classIndex(3));
                ns[i] = System.nanoTime() - t0;
            }
            long[] timed = java.util.Arrays.copyOfRange(ns, 3, ns.length);
            java.util.Arrays.sort(timed);
            System.out.printf("Grad-CAM resnet18 224 layer %s (cut points %s) activation %s: median %.1f ms, min %.1f ms%n",
                    last, cuts, m.layerActivation(x, last).shape(), timed[timed.length / 2] / 1e6, timed[0] / 1e6);
        }
    }
}
