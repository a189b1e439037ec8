package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.models.zoo.MarkerTransformer;
import io.attrib4j.models.zoo.Zoo;
import org.junit.jupiter.api.Test;

/** Rollouts on attention recorded from the zoo's trained transformer. */
class ZooTransformerRolloutTest {

    private static void assertMatches(double[][] ref, Tensor got, int b) {
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref.length; j++) {
                assertEquals(ref[i][j], got.get(b, i, j), 1e-6, "[" + b + "," + i + "," + j + "]");
            }
        }
    }

    @Test
    void rolloutsMatchTheFloat64ReferenceOnRecordedAttention() {
        MarkerTransformer.Samples s = MarkerTransformer.samples(8, 31);
        AttentionGradients g = Zoo.markerTransformer().model().attentionGradients(s.ids(), Target.perExample(s.labels()));
        Tensor plain = AttentionRollout.withDefaults().rollout(g.attention()).rollout();
        Tensor weighted = GradientWeightedRollout.create().rollout(g.attention(), g.gradient()).rollout();
        AttentionRollout maxDiscard = AttentionRollout.builder().optHeadFusion(HeadFusion.MAX).optDiscardRatio(0.5).build();
        Tensor discarded = maxDiscard.rollout(g.attention()).rollout();
        for (int b = 0; b < 8; b++) {
            assertMatches(Reference.rollout(g.attention(), b, HeadFusion.MEAN, 0.5, 0), plain, b);
            assertMatches(Reference.gradientRollout(g.attention(), g.gradient(), b), weighted, b);
            assertMatches(Reference.rollout(g.attention(), b, HeadFusion.MAX, 0.5, 0.5), discarded, b);
        }
        assertTrue(g.gradient().maxAbs() > 0, "the target depends on the attention");
    }

    @Test
    void gradientWeightedRolloutRanksTheMarkersFirst() {
        MarkerTransformer z = Zoo.markerTransformer();
        MarkerTransformer.Samples s = MarkerTransformer.samples(200, 4242);
        AttentionGradients g = z.model().attentionGradients(s.ids(), Target.perExample(s.labels()));
        Tensor cls = GradientWeightedRollout.create().rollout(g.attention(), g.gradient()).tokenRelevance(TokenPooling.CLS);
        Tensor plain = AttentionRollout.withDefaults().rollout(g.attention()).tokenRelevance(TokenPooling.CLS);
        double rate = s.markerHitRate(cls, false);
        System.out.println("gradient-weighted rollout (CLS row), 200 held-out sentences: top token is a marker in "
                + rate + ", top-m tokens are all m markers in " + s.markerHitRate(cls, true)
                + "; plain rollout: " + s.markerHitRate(plain, false) + " / " + s.markerHitRate(plain, true));
        // Measured 0.95 top-1 (plain rollout 0.73) in most JVMs; in 2 of about 10 test JVMs the zoo model
        // trained to another optimum, where this gave 0.81 (plain rollout 0.30). Not yet explained (the model
        // trains identically within one JVM, ZooReproducibilityTest): the bound holds for both, and the
        // gradient-weighted rollout must beat the plain one clearly either way.
        double plainRate = s.markerHitRate(plain, false);
        assertTrue(rate >= 0.8, "hit rate " + rate);
        assertTrue(rate >= plainRate + 0.1, "gradient-weighted " + rate + " vs plain rollout " + plainRate);
    }
}
