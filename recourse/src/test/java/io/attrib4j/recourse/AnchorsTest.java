package io.attrib4j.recourse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.models.TorchScriptModel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Anchors on a model whose rule is known ("approve iff a &gt; 0 and b &lt; 0") and on the breast-cancer MLP: the
 * anchor names the rule's features, and its precision holds on fresh draws of the same perturbation distribution.
 */
class AnchorsTest {
    private static final int A = 1;
    private static final int B = 3;

    /** Logits [0, +1] (approve) when x_a &gt; 0 and x_b &lt; 0, else [0, -1]. */
    private static ForwardModel ruleModel() {
        return new ForwardModel() {
            @Override
            public ModelInfo info() {
                return ModelInfo.of("rule", "java", "rule");
            }

            @Override
            public Tensor forward(Tensor input) {
                int d = input.rowSize();
                float[] out = new float[input.batch() * 2];
                for (int i = 0; i < input.batch(); i++) {
                    boolean approve = input.data()[i * d + A] > 0 && input.data()[i * d + B] < 0;
                    out[i * 2 + 1] = approve ? 1 : -1;
                }
                return Tensor.of(out, Shape.of(input.batch(), 2));
            }

            @Override
            public void close() {}
        };
    }

    private static FeatureSpace gaussian(int n, int d, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] data = new float[n * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) r.nextGaussian();
        }
        return FeatureSpace.of(Tensor.of(data, n, d)).withClassNames(List.of("refused", "approved"));
    }

    @Test
    void anchorRecoversTheRulesFeatures() {
        FeatureSpace space = gaussian(2000, 6, 1);
        ForwardModel model = ruleModel();
        float[] x = {0.3f, 1.2f, -0.2f, -1.1f, 0.5f, 0.0f};
        Anchors anchors = new Anchors(AnchorOptions.defaults());
        Anchor anchor = anchors.explain(model, x, space);
        assertTrue(anchor.meetsThreshold(), anchor.rule());
        assertEquals(Set.of(A, B), new HashSet<>(anchor.features()), anchor.rule());
        assertEquals("approved", anchor.className());
        // x_a = 1.2 lies above the upper quartile (0.67 for a standard normal), x_b = -1.1 below the lower one
        assertTrue(anchor.rule().startsWith("IF f1 > 0.6") || anchor.rule().startsWith("IF f3 <= -0.6"),
                anchor.rule());
        assertTrue(anchor.rule().contains("THEN approved, precision "), anchor.rule());
        // both predicates hold on about a quarter of the rows each: coverage near 1/16
        assertEquals(1 / 16.0, anchor.coverage(), 0.02, anchor.rule());
        checkFreshPrecision(anchors, model, x, space, anchor);
    }

    @Test
    void refusedRowNeedsOnlyOneFeature() {
        FeatureSpace space = gaussian(2000, 6, 2);
        float[] x = {0.3f, -1.2f, -0.2f, 0.1f, 0.5f, 0.0f}; // a <= 0 alone refuses
        Anchor anchor = new Anchors(AnchorOptions.defaults()).explain(ruleModel(), x, space);
        assertEquals(List.of(A), anchor.features(), anchor.rule());
        assertEquals("refused", anchor.className());
    }

    /**
     * The anchor's guarantee: precision >= threshold - epsilonStop with probability 1 - delta. Re-estimated on
     * 4,000 fresh draws its binomial standard error is at most sqrt(0.25 / 4000) = 0.008, so 3 of them are added.
     */
    private static void checkFreshPrecision(Anchors anchors, ForwardModel model, float[] x, FeatureSpace space,
            Anchor anchor) {
        double fresh = anchors.precision(model, x, space, anchor, 4000, 99);
        AnchorOptions o = anchors.options();
        assertTrue(fresh >= o.threshold() - o.epsilonStop() - 3 * 0.008, "fresh precision " + fresh + " for "
                + anchor.rule());
    }

    @Test
    void breastCancerAnchorHoldsOnFreshSamples() {
        try (TorchScriptModel model = BreastCancer.model()) {
            FeatureSpace space = BreastCancer.space();
            Anchors anchors = new Anchors(AnchorOptions.defaults());
            int met = 0;
            for (int i = 0; i < 6; i++) {
                float[] x = BreastCancer.test().row(i).data();
                Anchor anchor = anchors.explain(model, x, space);
                assertTrue(anchor.precisionLowerBound() <= anchor.precision());
                if (anchor.meetsThreshold()) { // rows near the decision boundary may have no anchor of the threshold
                    met++;
                    assertTrue(anchor.coverage() >= 0 && anchor.coverage() <= 1, anchor.rule()); // 0: rarer than 1 in 10,000
                    checkFreshPrecision(anchors, model, x, space, anchor);
                }
            }
            assertTrue(met >= 4, met + " of 6 rows have an anchor of the threshold");
        }
    }

    @Test
    void klBoundsBracketTheMeanAndShrinkWithSamples() {
        double p = 0.9;
        double wide = KlBounds.lower(p, 5.0 / 100);
        double narrow = KlBounds.lower(p, 5.0 / 10000);
        assertTrue(wide < narrow && narrow < p);
        assertTrue(KlBounds.upper(p, 5.0 / 100) > KlBounds.upper(p, 5.0 / 10000));
        // at the bound the divergence equals the level (bisection to 2^-16 of the Hoeffding interval)
        assertEquals(5.0 / 100, KlBounds.kl(p, wide), 1e-3);
    }
}
