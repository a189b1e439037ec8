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
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.models.zoo.MarkerTransformer;
import io.attrib4j.models.zoo.TextClassifier;
import io.attrib4j.models.zoo.Zoo;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TokenAttributionTest {
    private static final String EMB = MarkerTransformer.EMBEDDING;

    private static TokenAttribution method(TokenAttribution.Kind kind) {
        return TokenAttribution.builder(kind).optLayer(EMB).optBaselineToken(MarkerTransformer.PAD).build();
    }

    /**
     * Completeness: the token attributions sum to F(x) - F(PAD...) up to an integration error that shrinks
     * as the steps grow (the network has ReLU kinks, so it shrinks slowly), and the reported delta is
     * exactly sum - gap.
     */
    @Test
    void integratedGradientsOnEmbeddingsIsComplete() {
        TextClassifier m = Zoo.markerTransformer().model();
        Tensor ids = MarkerTransformer.samples(4, 11).ids();
        Target t = Target.classIndex(1);
        long[] pad = new long[4 * 12];
        Arrays.fill(pad, MarkerTransformer.PAD);
        Tensor out = m.forward(ids);
        Tensor base = m.forward(Tensor.ofInt64(pad, ids.shape()));
        double[] error = new double[2];
        int[] steps = {50, 400};
        for (int k = 0; k < steps.length; k++) {
            Attribution a = TokenAttribution.builder(TokenAttribution.Kind.INTEGRATED_GRADIENTS).optLayer(EMB)
                    .optBaselineToken(MarkerTransformer.PAD).optSteps(steps[k]).build().attribute(m, ids, t);
            assertEquals(Shape.of(4, 12), a.values().shape());
            assertEquals("TokenLayerIntegratedGradients", a.provenance().method());
            for (int i = 0; i < 4; i++) {
                double sum = 0;
                for (int s = 0; s < 12; s++) {
                    sum += a.values().get(i, s);
                }
                double gap = out.get(i, 1) - base.get(i, 1);
                assertEquals(sum - gap, a.convergenceDelta().orElseThrow()[i], 1e-3, "delta is sum - gap");
                error[k] += Math.abs(sum - gap);
                if (steps[k] == 400) {
                    assertEquals(gap, sum, 0.02 * Math.abs(gap) + 1e-3, "example " + i + " at 400 steps");
                }
            }
        }
        assertTrue(error[1] < error[0], "completeness error shrinks with steps: " + error[0] + " -> " + error[1]);
    }

    @Test
    void saliencyAndInputXGradientSumTheEmbeddingGradient() {
        TextClassifier m = Zoo.markerTransformer().model();
        Tensor ids = MarkerTransformer.samples(2, 12).ids();
        Target t = Target.perExample(0, 1);
        LayerGradients g = m.layerGradients(ids, EMB, t);
        int dim = g.activation().shape().dim(2);
        Tensor sal = method(TokenAttribution.Kind.SALIENCY).attribute(m, ids, t).values();
        Tensor ixg = method(TokenAttribution.Kind.INPUT_X_GRADIENT).attribute(m, ids, t).values();
        for (int i = 0; i < 2; i++) {
            for (int s = 0; s < 12; s++) {
                double abs = 0;
                double prod = 0;
                for (int d = 0; d < dim; d++) {
                    abs += Math.abs(g.gradient().get(i, s, d));
                    prod += g.gradient().get(i, s, d) * g.activation().get(i, s, d);
                }
                assertEquals(abs, sal.get(i, s), 1e-5 * Math.max(1, abs));
                assertEquals(prod, ixg.get(i, s), 1e-5 * Math.max(1, Math.abs(prod)));
            }
        }
    }

    @Test
    void integratedGradientsRanksTheMarkersFirst() {
        MarkerTransformer z = Zoo.markerTransformer();
        MarkerTransformer.Samples s = MarkerTransformer.samples(200, 4242);
        Attribution a = method(TokenAttribution.Kind.INTEGRATED_GRADIENTS)
                .attribute(z.model(), s.ids(), Target.perExample(s.labels()));
        double rate = s.markerHitRate(a.values(), false);
        System.out.println("IG on embeddings, 200 held-out sentences: top token is a marker in " + rate
                + ", top-m tokens are all m markers in " + s.markerHitRate(a.values(), true));
        assertTrue(rate >= 0.9, "hit rate " + rate);
    }

    @Test
    void badInputAndOptionsAreTypedErrors() {
        TextClassifier m = Zoo.markerTransformer().model();
        Tensor floats = Tensor.zeros(Shape.of(1, 12));
        assertThrows(InvalidInputException.class,
                () -> method(TokenAttribution.Kind.SALIENCY).attribute(m, floats, Target.classIndex(0)));
        assertThrows(InvalidOptionException.class,
                () -> TokenAttribution.builder(TokenAttribution.Kind.SALIENCY).optBaselineToken(-1).build());
        long[] ids = new long[12];
        ids[3] = 99;
        assertThrows(InvalidInputException.class, () -> method(TokenAttribution.Kind.INTEGRATED_GRADIENTS)
                .attribute(m, Tensor.ofInt64(ids, Shape.of(1, 12)), Target.classIndex(0)));
    }
}
