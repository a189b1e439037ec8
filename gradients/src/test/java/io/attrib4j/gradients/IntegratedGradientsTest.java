package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.ToyModels;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IntegratedGradientsTest {
    private static final double[][] W = {
        {0.5, -1.25, 2.0, 0.75, -0.3},
        {-2.0, 0.4, 1.1, -0.6, 0.9},
    };
    private static final double[] C = {0.2, -0.7};

    private static Tensor random(int n, int d, double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n * d];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextDouble(-scale, scale);
        }
        return Tensor.of(v, n, d);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float f : v) {
            m = Math.max(m, Math.abs(f));
        }
        return m;
    }

    // ---- axioms ---------------------------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(value = IntegrationRule.class, names = "RIEMANN_TRAPEZOID", mode = EnumSource.Mode.EXCLUDE)
    void onALinearModelIgIsInputMinusBaselineTimesWeights(IntegrationRule rule) {
        Tensor x = random(3, 5, 2, 1);
        Tensor b = random(3, 5, 1, 2);
        int[] t = {0, 1, 1};
        Attribution a = IntegratedGradients.builder().optRule(rule).optSteps(20).optBaseline(Baseline.of(b)).build()
                .attribute(ToyModels.linear(W, C), x, Target.perExample(t));
        float[] expected = new float[15];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 5; j++) {
                expected[i * 5 + j] = (float) ((x.data()[i * 5 + j] - b.data()[i * 5 + j]) * W[t[i]][j]);
            }
        }
        Close.absolute(expected, a.values().data(), 1e-5, rule + " attributions");
        Close.absolute(new float[3], a.convergenceDelta().orElseThrow(), 1e-5, rule + " delta");
    }

    @Test
    void captumsTrapezoidMissesOneStepOfTheIntegralOnALinearModel() {
        // weights sum to (n-1)/n, so IG = (n-1)/n (x-b) w and delta = -(1/n) (F(x)-F(b)): Captum's behaviour
        int n = 10;
        Tensor x = random(1, 5, 2, 3);
        Attribution a = IntegratedGradients.builder().optRule(IntegrationRule.RIEMANN_TRAPEZOID).optSteps(n).build()
                .attribute(ToyModels.linear(W, C), x, Target.classIndex(0));
        double change = 0;
        for (int j = 0; j < 5; j++) {
            double full = x.data()[j] * W[0][j];
            change += full;
            assertEquals(full * (n - 1) / n, a.values().data()[j], 1e-5);
        }
        assertEquals(-change / n, a.convergenceDelta().orElseThrow()[0], 1e-5);
    }

    @Test
    void completenessGapShrinksAsGaussLegendreStepsGrow() {
        ToyModels.Toy mlp = ToyModels.tanhMlp(6, 16, 3, 7);
        Tensor x = random(4, 6, 10, 4); // large inputs: tanh saturates, so few steps leave a visible gap
        Target t = Target.perExample(0, 1, 2, 0);
        double[] gaps = new double[3];
        int[] steps = {4, 16, 64};
        for (int s = 0; s < steps.length; s++) {
            gaps[s] = maxAbs(IntegratedGradients.builder().optSteps(steps[s]).build().attribute(mlp, x, t)
                    .convergenceDelta().orElseThrow());
        }
        assertTrue(gaps[0] > 1e-2, "4 steps leave a visible gap: " + gaps[0]);
        assertTrue(gaps[1] < gaps[0] / 100, "16 steps: " + gaps[1] + " vs 4 steps: " + gaps[0]);
        assertTrue(gaps[2] < gaps[1] && gaps[2] < 1e-5, "64 steps: " + gaps[2] + " vs 16 steps: " + gaps[1]);
    }

    @Test
    void equalInputsOfASymmetricModelGetEqualAttributions() {
        Tensor x = Tensor.of(new float[] {0.8f, 0.8f, -1.3f, -0.4f, -0.4f, 2.1f}, 2, 3);
        Tensor b = Tensor.of(new float[] {0.1f, 0.1f, 0.5f}, 3);
        Attribution a = IntegratedGradients.builder().optBaseline(Baseline.of(b)).build()
                .attribute(new SymmetricModel(), x, Target.classIndex(0));
        float[] v = a.values().data();
        for (int i = 0; i < 2; i++) {
            assertTrue(Math.abs(v[3 * i]) > 1e-3, "non-trivial attribution");
            assertEquals(v[3 * i], v[3 * i + 1], 1e-7, "example " + i);
        }
        Close.absolute(new float[2], a.convergenceDelta().orElseThrow(), 1e-5, "delta");
    }

    @Test
    void withoutMultiplyByInputsIgIsTheWeightedGradientSum() {
        Tensor x = random(2, 5, 2, 5);
        Attribution a = IntegratedGradients.builder().optMultiplyByInputs(false).build()
                .attribute(ToyModels.linear(W, C), x, Target.classIndex(1));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(W[1][j], a.values().data()[i * 5 + j], 1e-6);
            }
        }
    }

    // ---- batching -------------------------------------------------------------------------------

    @Test
    void withoutInternalBatchSizeAllStepsGoInOneCall() {
        ToyModels.Toy mlp = ToyModels.tanhMlp(6, 16, 3, 7);
        IntegratedGradients.withDefaults().attribute(mlp, random(4, 6, 1, 6), Target.classIndex(2));
        assertEquals(List.of(50 * 4, 2 * 4), mlp.callBatchSizes(), "one gradient call, then the delta forward");
    }

    @Test
    void internalBatchSizeSplitsTheStepsIntoChunksAndGivesTheSameResult() {
        Tensor x = random(4, 6, 1.5, 8);
        Target t = Target.perExample(2, 0, 1, 1);
        ToyModels.Toy whole = ToyModels.tanhMlp(6, 16, 3, 7);
        Attribution ref = IntegratedGradients.withDefaults().attribute(whole, x, t);
        // 30 points per call for 4 examples: 7 steps per call, 50 = 7*7 + 1
        ToyModels.Toy chunked = ToyModels.tanhMlp(6, 16, 3, 7);
        Attribution got = IntegratedGradients.builder().optInternalBatchSize(30).build().attribute(chunked, x, t);
        List<Integer> expected = new ArrayList<>(Collections.nCopies(7, 28));
        expected.add(4);
        expected.add(8);
        assertEquals(expected, chunked.callBatchSizes());
        Close.absolute(ref.values().data(), got.values().data(), 1e-6, "chunked vs whole");
        Close.absolute(ref.convergenceDelta().orElseThrow(), got.convergenceDelta().orElseThrow(), 1e-6, "delta");
        // smaller than the batch: one step per call
        ToyModels.Toy single = ToyModels.tanhMlp(6, 16, 3, 7);
        IntegratedGradients.builder().optInternalBatchSize(3).build().attribute(single, x, t);
        assertEquals(51, single.callBatchSizes().size());
        assertEquals(4, single.callBatchSizes().get(0));
    }

    @Test
    void provenanceRecordsEveryOption() {
        Attribution a = IntegratedGradients.builder().optSteps(12).optRule(IntegrationRule.RIEMANN_MIDDLE)
                .optInternalBatchSize(16).optMultiplyByInputs(true).build()
                .attribute(ToyModels.linear(W, C), random(2, 5, 1, 9), Target.classIndex(0));
        Map<String, Object> p = a.provenance().parameters();
        assertEquals(12, p.get("steps"));
        assertEquals("riemann_middle", p.get("rule"));
        assertEquals("zeros", p.get("baseline"));
        assertEquals(16, p.get("internalBatchSize"));
        assertEquals(true, p.get("multiplyByInputs"));
        assertEquals(IntegratedGradients.NAME, a.provenance().method());
        assertEquals(2 + 1, a.provenance().timing().modelCalls(), "chunks of 16/2 = 8 steps: 8 + 4, then the delta");
    }

    // ---- bad input ------------------------------------------------------------------------------

    @Test
    void zeroStepsAreRejectedWhenBuilding() {
        assertThrows(InvalidOptionException.class, () -> IntegratedGradients.builder().optSteps(0).build());
        assertThrows(InvalidOptionException.class,
                () -> IntegratedGradients.builder().optSteps(1).optRule(IntegrationRule.RIEMANN_LEFT).build());
        assertThrows(InvalidOptionException.class, () -> IntegratedGradients.builder().optInternalBatchSize(0));
        assertThrows(InvalidOptionException.class, () -> IntegratedGradients.builder().optBaseline(null).build());
    }

    @Test
    void nanInputIsRejected() {
        Tensor x = Tensor.of(new float[] {1, 2, Float.NaN, 4, 5}, 1, 5);
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> IntegratedGradients.withDefaults().attribute(ToyModels.linear(W, C), x, Target.classIndex(0)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void wrongTargetCountIsRejectedBeforeTheModelRuns() {
        ToyModels.Toy lin = ToyModels.linear(W, C);
        assertThrows(InvalidTargetException.class,
                () -> IntegratedGradients.withDefaults().attribute(lin, random(3, 5, 1, 1), Target.perExample(0, 1)));
        assertTrue(lin.callBatchSizes().isEmpty());
        assertThrows(InvalidTargetException.class,
                () -> IntegratedGradients.withDefaults().attribute(lin, random(3, 5, 1, 1), Target.classIndex(5)));
    }

    @Test
    void baselineOfTheWrongShapeIsRejected() {
        IntegratedGradients ig = IntegratedGradients.builder().optBaseline(Baseline.of(Tensor.zeros(Shape.of(4)))).build();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> ig.attribute(ToyModels.linear(W, C), random(2, 5, 1, 1), Target.classIndex(0)));
        assertTrue(e.getMessage().contains("baseline"), e.getMessage());
    }

    @Test
    void forwardOnlyModelIsRejected() {
        ForwardModel forwardOnly = new ForwardModel() {
            @Override
            public ModelInfo info() {
                return ModelInfo.of("fwd", "onnxruntime", "h");
            }

            @Override
            public Tensor forward(Tensor input) {
                return Tensor.zeros(Shape.of(input.batch(), 2));
            }

            @Override
            public void close() {}
        };
        assertThrows(UnsupportedModelException.class,
                () -> IntegratedGradients.withDefaults().attribute(forwardOnly, random(1, 5, 1, 1), Target.classIndex(0)));
    }
}
