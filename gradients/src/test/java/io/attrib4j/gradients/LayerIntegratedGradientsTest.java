package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import io.attrib4j.testkit.PoolingHeadModel;
import org.junit.jupiter.api.Test;

/** Layer IG: the identity layer gives plain IG; completeness on the oracle CNN at its Grad-CAM layer. */
class LayerIntegratedGradientsTest {

    @Test
    void atAnIdentityLayerItIsIntegratedGradients() {
        PoolingHeadModel m = CamTest.poolingHead(11);
        Tensor x = CamTest.random(Shape.of(2, 4, 5, 6), 12);
        Target t = Target.perExample(1, 2);
        IntegratedGradients ig = IntegratedGradients.builder().optSteps(7).build();
        Attribution layer = LayerIntegratedGradients.builder().optLayer("id").optIntegratedGradients(ig).build()
                .attribute(m, x, t);
        Close.relative(ig.attribute(m, x, t).values(), layer.values(), 1e-6, "layer IG at the identity layer");
        assertEquals(1, layer.provenance().timing().modelCalls() - 1, "one batched gradient call plus the delta forward");
        assertEquals("id", layer.provenance().parameters().get("layer"));
    }

    @Test
    void completeOnTheCnnAtFeatures4() {
        Tensor x = Oracle.load("cnn/x");
        Target t = Target.perExample(Oracle.loadInts("cnn/targets"));
        try (DjlBlockModel m = CamTest.oracleCnn()) {
            Attribution a = LayerIntegratedGradients.builder().optLayer("features.4").build().attribute(m, x, t);
            assertEquals(Shape.of(2, 16, 16, 16), a.values().shape());
            float[] delta = a.convergenceDelta().orElseThrow();
            for (float d : delta) {
                assertTrue(Math.abs(d) <= 1e-5, "completeness gap " + d);
            }
            // the head (average pool, linear) is linear: LIG = (a - a') * (constant layer gradient)
            Tensor base = m.layerActivation(Tensor.zeros(x.shape()), "features.4");
            float[] feat = Oracle.load("cnn/features").data();
            float[] grad = Oracle.load("cnn/gradcam_layer_grad").data();
            float[] expected = new float[feat.length];
            for (int i = 0; i < feat.length; i++) {
                expected[i] = (feat[i] - base.data()[i]) * grad[i];
            }
            Close.relative(Tensor.of(expected, a.values().shape()), a.values(), 1e-4, "layer IG on a linear head");
        }
    }
}
