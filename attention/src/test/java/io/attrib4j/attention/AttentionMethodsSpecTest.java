package io.attrib4j.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.AttentionGradients;
import io.attrib4j.engine.model.AttentionModel;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.testkit.SpecChecks;
import io.attrib4j.testkit.ToyModels;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of {@link AttentionMethods} as a value, on a toy attention model: its spec survives JSON and
 * text, the method built from a spec reports exactly that spec in its provenance, the text form and the builder
 * (or the {@link TokenRollout} factories) give the same relevance bit for bit, and bad options are refused by
 * name. Rollouts find the attention by {@code model.capability(AttentionModel.class)}, so a wrapper that
 * forwards capabilities keeps them.
 */
class AttentionMethodsSpecTest {
    private static final ToyAttention MODEL = new ToyAttention();
    private static final Tensor IDS = Tensor.of(new float[] {1, 4, 2, 7, 3, 1, 5, 5, 0, 2, 6, 3}, 2, 6);
    private static final Target TARGET = Target.perExample(1, 0);

    /**
     * A toy transformer: its attention (2 layers, 3 heads) is a softmax drawn from the ids, and the "gradient"
     * of a target a Gaussian drawn from the ids and the target; enough to exercise the spec path.
     */
    static final class ToyAttention implements AttentionModel {
        private final ModelInfo info = ModelInfo.of("toy-attention", "java", "toy-attention");

        private static long seed(Tensor ids) {
            return Arrays.hashCode(ids.data());
        }

        @Override
        public Tensor attention(Tensor ids) {
            return Reference.randomAttention(new Random(seed(ids)), 2, ids.batch(), 3, ids.shape().dim(1), 1.5);
        }

        @Override
        public AttentionGradients attentionGradients(Tensor ids, Target target) {
            Tensor attention = attention(ids);
            long t = 0;
            for (int i = 0; i < ids.batch(); i++) {
                t = 31 * t + target.indexOf(i);
            }
            Tensor gradient = Reference.randomGaussian(new Random(seed(ids) + t), attention.shape().dims());
            return new AttentionGradients(forward(ids), attention, gradient);
        }

        @Override
        public ModelInfo info() {
            return info;
        }

        @Override
        public Tensor forward(Tensor ids) {
            return Tensor.zeros(Shape.of(ids.batch(), 2));
        }

        @Override
        public void close() {}
    }

    /** A wrapper that is no AttentionModel itself but forwards every capability of the model it wraps. */
    private static ForwardModel wrapped(ForwardModel inner) {
        return new ForwardModel() {
            @Override
            public ModelInfo info() {
                return inner.info();
            }

            @Override
            public Tensor forward(Tensor input) {
                return inner.forward(input);
            }

            @Override
            public <C> java.util.Optional<C> capability(Class<C> type) {
                return inner.capability(type);
            }

            @Override
            public void close() {}
        };
    }

    /** A spec in the text form and the same method from its builder. */
    record Case(String text, Supplier<AttributionMethod> builder) {
        MethodSpec spec() {
            return MethodSpec.parse(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("rollout", AttentionRollout::withDefaults),
                new Case("rollout(headFusion=max, residualWeight=0.3, discardRatio=0.5, pooling=cls)",
                        () -> AttentionRollout.builder().optHeadFusion(HeadFusion.MAX).optResidualWeight(0.3)
                                .optDiscardRatio(0.5).optPooling(TokenPooling.CLS).build()),
                new Case("rollout(headFusion=min, pooling=cls)", () -> TokenRollout.attention(
                        AttentionRollout.builder().optHeadFusion(HeadFusion.MIN).build(), TokenPooling.CLS)),
                new Case("grad-rollout", GradientWeightedRollout::create),
                new Case("grad-rollout(pooling=cls)", () -> TokenRollout.gradientWeighted(TokenPooling.CLS)));
    }

    @Test
    void everyMethodOfTheProviderIsRegisteredDocumentedAndHasACase() {
        SpecChecks.assertProvidedAndDocumented(new AttentionMethods(), List.of("rollout", "grad-rollout"),
                cases().map(c -> c.spec().name()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specSurvivesJsonAndText(Case c) {
        SpecChecks.assertRoundTrips(c.spec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theMethodBuiltFromASpecReportsExactlyThatSpec(Case c) {
        Attribution a = SpecChecks.assertReportsSpec(c.spec(), MODEL, IDS, TARGET);
        assertEquals("toy-attention", a.provenance().modelName());
        assertEquals(1, a.provenance().timing().modelCalls(), "one attention (and gradient) pass");
        TokenRollout method = assertInstanceOf(TokenRollout.class, Methods.create(c.spec()));
        assertEquals(Methods.resolve(c.spec()), method.rollout(MODEL, IDS, TARGET).provenance().spec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void textAndBuilderGiveTheSameRelevanceBitForBit(Case c) {
        SpecChecks.assertSameAttributions(c.builder().get(), Methods.create(c.spec()), MODEL, IDS, TARGET);
    }

    @Test
    void theRelevanceIsTheRolloutOfTheModelsAttentionPooled() {
        TokenRollout cls = (TokenRollout) Methods.create("rollout(pooling=cls)");
        Tensor maps = AttentionRollout.withDefaults().rollout(MODEL.attention(IDS)).rollout();
        Tensor relevance = cls.attribute(MODEL, IDS, TARGET).values();
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 6; j++) {
                assertEquals(maps.get(b, 0, j), relevance.get(b, j), 0f, "row 0 of example " + b);
            }
        }
    }

    @Test
    void mapsGivenDirectlyReportTheSpecToo() {
        Tensor attention = MODEL.attention(IDS);
        AttentionRollout rollout = AttentionRollout.builder().optDiscardRatio(0.25).build();
        RolloutResult r = rollout.rollout(attention);
        assertEquals(Methods.resolve(MethodSpec.parse("rollout(discardRatio=0.25)")), r.provenance().spec());
        assertEquals("none (class-agnostic)", r.provenance().target());
        RolloutResult g = GradientWeightedRollout.create().rollout(attention, attention);
        assertEquals(Methods.resolve(MethodSpec.parse("grad-rollout")), g.provenance().spec());
        assertEquals("attention maps", g.provenance().modelName());
    }

    @Test
    void aWrapperThatForwardsCapabilitiesKeepsTheAttention() {
        for (String spec : List.of("rollout", "grad-rollout")) {
            AttributionMethod m = Methods.create(spec);
            assertArrayEquals(m.attribute(MODEL, IDS, TARGET).values().data(),
                    m.attribute(wrapped(MODEL), IDS, TARGET).values().data(), spec);
        }
    }

    @Test
    void aModelWithoutAttentionIsATypedError() {
        ForwardModel mlp = ToyModels.tanhMlp(6, 4, 2, 1);
        for (String spec : List.of("rollout", "grad-rollout")) {
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> Methods.create(spec).attribute(mlp, IDS, TARGET));
            assertTrue(e.getMessage().contains("attention") && e.getMessage().contains("--attention-output"),
                    e.getMessage());
        }
    }

    @Test
    void unknownOptionsAreRefusedListingTheValidOnes() {
        SpecChecks.assertUnknownOptionListsTheValidOnes("rollout", "residual");
        SpecChecks.assertUnknownOptionListsTheValidOnes("grad-rollout", "headFusion");
    }

    @Test
    void illTypedOrOutOfRangeOptionsAreRefusedByName() {
        SpecChecks.assertRefused("rollout(pooling=first)", "'pooling'", "cls, mean");
        SpecChecks.assertRefused("rollout(headFusion=median)", "mean, max, min");
        SpecChecks.assertRefused("rollout(residualWeight=half)", "'residualWeight'", "double");
        SpecChecks.assertRefused("rollout(discardRatio=1)", "discard ratio 1.0");
    }

    @Test
    void defaultsAreMeanFusionHalfResidualNoDiscardMeanPooling() {
        assertEquals(MethodSpec.parse("rollout(headFusion=mean, residualWeight=0.5, discardRatio=0, pooling=mean)"),
                AttentionRollout.withDefaults().spec());
        assertEquals(MethodSpec.parse("grad-rollout(pooling=mean)"), GradientWeightedRollout.create().spec());
    }
}
