package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Chains of method specs: the spec is the cache key, and the served model keeps every capability. */
class SpecChainTest {
    private static final Tensor X = Tensor.of(new float[] {0.3f, -1.2f, 0.8f, 2.0f, -0.4f}, 1, 5);

    private static ExplainResponse explain(ForwardModel model, ExplanationStore cache, String spec) {
        try (Explainer e = Explainer.builder().setModel(model).optCache(cache).optChain(List.of(FallbackStep.of(spec)))
                .optDefaultBudget(java.time.Duration.ofMinutes(10)).optWorkers(1).build()) {
            return e.explain(ExplainRequest.of(X));
        }
    }

    @Test
    void stepsThatDifferOnlyInRuleOrBaselineNeverShareACachedExplanation() {
        // a non-linear model, where the rule changes the attribution (a linear one would hide it)
        GradientModel model = ToyModels.tanhMlp(5, 7, 3, 11);
        ExplanationStore cache = ExplanationCache.builder().build();
        ExplainResponse left = explain(model, cache, "ig(steps=4, rule=riemann_left)");
        ExplainResponse right = explain(model, cache, "ig(steps=4, rule=riemann_right)");
        ExplainResponse shifted = explain(model, cache, "ig(steps=4, rule=riemann_left, baseline=0.5)");
        assertEquals(Source.LIVE, left.source());
        assertEquals(Source.LIVE, right.source(), "another rule is another explanation, not a cache hit");
        assertEquals(Source.LIVE, shifted.source(), "another baseline is another explanation, not a cache hit");
        assertFalse(Arrays.equals(values(left), values(right)), "the rules do give different numbers here");
        ExplainResponse again = explain(model, cache, "ig(rule=riemann_left, steps=4)");
        assertEquals(Source.CACHE, again.source(), "the same spec, options in another order, is the same key");
        assertEquals(Arrays.toString(values(left)), Arrays.toString(values(again)));
        assertEquals(Methods.resolve(MethodSpec.parse("ig(steps=4, rule=riemann_left)")),
                left.attribution().orElseThrow().provenance().spec(), "the answer reports the spec it ran");
    }

    @Test
    void theDefaultChainIsIgThirtyTwoIgEightSaliency() {
        GradientModel model = ToyModels.tanhMlp(5, 7, 3, 11);
        // a budget no machine misses, so the first step answers whatever the load
        try (Explainer e = Explainer.builder().setModel(model).optDefaultBudget(java.time.Duration.ofMinutes(10)).build()) {
            Attribution a = e.explain(ExplainRequest.of(X)).attribution().orElseThrow();
            assertEquals(MethodSpec.parse("ig(steps=32)").name(), a.provenance().spec().name());
            assertEquals(32, ((Number) a.provenance().spec().options().get("steps")).intValue());
            assertEquals(List.of("ig32", "ig8", "saliency"), List.copyOf(e.breakerStates().keySet()));
        }
    }

    @Test
    void theServingLockForwardsEveryCapability() {
        GradientModel model = ToyModels.tanhMlp(5, 7, 3, 11);
        ForwardModel locked = SerializedModel.wrap(model);
        assertTrue(locked.capability(GradientModel.class).isPresent());
        assertTrue(locked.capability(LayerModel.class).isEmpty(), "a capability the model lacks stays absent");
        GradientModel g = locked.capability(GradientModel.class).orElseThrow();
        assertNotEquals(model, g, "the capability is a locked view, not the unlocked model");
        assertTrue(g.capability(GradientModel.class).orElseThrow() != model, "asking the view comes back locked");
        assertEquals(Arrays.toString(model.gradients(X, io.attrib4j.engine.Target.classIndex(1)).inputGradient().data()),
                Arrays.toString(g.gradients(X, io.attrib4j.engine.Target.classIndex(1)).inputGradient().data()));
    }

    private static float[] values(ExplainResponse r) {
        return r.attribution().orElseThrow().values().data();
    }
}
