package io.attrib4j.perturbation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.testkit.SpecChecks;
import io.attrib4j.testkit.ToyModels;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every method of {@link PerturbationMethods} as a value: its spec survives JSON and text, the method built from
 * a spec reports exactly that spec (defaults filled in) in its provenance, the text form and the builder with the
 * same options give the same attributions bit for bit, and unknown or ill-typed options are refused by name.
 * File-valued options ({@code featureMask}, a tensor {@code baseline}) are {@code .npy} paths in the text form
 * ({@code {mask}} and {@code {base}} below are replaced by such files) and tensors in memory.
 */
class PerturbationMethodsSpecTest {
    private static final Tensor MASK = Tensor.ofInt64(new long[] {0, 0, 1, 1, 2, 2}, Shape.of(1, 6));
    private static final Tensor BASE = Tensor.of(new float[] {0.1f, -0.2f, 0.3f, 0f, 0.5f, -0.4f}, 6);
    private static final ToyModels.Toy MODEL = ToyModels.tanhMlp(6, 5, 3, 11);
    private static final Tensor X = Tensor.of(new float[] {0.9f, -1.1f, 0.4f, 1.3f, -0.7f, 0.2f,
        -0.5f, 0.8f, 1.2f, -0.3f, 0.6f, -1.4f}, 2, 6);
    private static final Target TARGET = Target.perExample(2, 0);

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeFiles() {
        Npy.write(dir.resolve("mask.npy"), MASK);
        Npy.write(dir.resolve("base.npy"), BASE);
    }

    /** A spec in the text form and the same method from its builder. */
    record Case(String text, Supplier<AttributionMethod> builder) {
        MethodSpec spec() {
            return MethodSpec.parse(text.replace("{mask}", "'" + dir.resolve("mask.npy") + "'")
                    .replace("{base}", "'" + dir.resolve("base.npy") + "'"));
        }

        @Override
        public String toString() {
            return text;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("occlusion(window=[3])", () -> Occlusion.builder().setSlidingWindowShape(3).build()),
                new Case("occlusion(window=[2], strides=[2], baseline=0.5, perturbationsPerEval=3)",
                        () -> Occlusion.builder().setSlidingWindowShape(2).optStrides(2)
                                .optBaseline(Baseline.constant(0.5f)).optPerturbationsPerEval(3).build()),
                new Case("ablation", () -> FeatureAblation.builder().build()),
                new Case("ablation(featureMask={mask}, baseline={base}, perturbationsPerEval=2)",
                        () -> FeatureAblation.builder().optFeatureMask(MASK).optBaseline(Baseline.of(BASE))
                                .optPerturbationsPerEval(2).build()),
                new Case("kernelshap", () -> KernelShap.builder().build()),
                new Case("kernelshap(samples=20, paired=false, seed=7, perturbationsPerEval=4)",
                        () -> KernelShap.builder().optSamples(20).optPaired(false).optSeed(7)
                                .optPerturbationsPerEval(4).build()),
                new Case("kernelshap(featureMask={mask}, baseline=zeros)",
                        () -> KernelShap.builder().optFeatureMask(MASK).build()),
                new Case("lime", () -> Lime.builder().build()),
                new Case("lime(samples=40, alpha=0.1, distance=euclidean, kernelWidth=0.5, seed=3, featureMask={mask}, "
                        + "baseline={base})",
                        () -> Lime.builder().optSamples(40).optAlpha(0.1).optDistance(Lime.Distance.EUCLIDEAN)
                                .optKernelWidth(0.5).optSeed(3).optFeatureMask(MASK).optBaseline(Baseline.of(BASE))
                                .build()));
    }

    @Test
    void everyMethodOfTheProviderIsRegisteredDocumentedAndHasACase() {
        SpecChecks.assertProvidedAndDocumented(new PerturbationMethods(),
                List.of("occlusion", "ablation", "kernelshap", "lime"), cases().map(c -> c.spec().name()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specSurvivesJsonAndText(Case c) {
        SpecChecks.assertRoundTrips(c.spec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theMethodBuiltFromASpecReportsExactlyThatSpec(Case c) {
        SpecChecks.assertReportsSpec(c.spec(), MODEL, X, TARGET);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void textAndBuilderGiveTheSameAttributionsBitForBit(Case c) {
        SpecChecks.assertSameAttributions(c.builder().get(), Methods.create(c.spec()), MODEL, X, TARGET);
    }

    @Test
    void defaultsAreTheBuildersAndCaptumsDefaults() {
        assertEquals(Methods.resolve(MethodSpec.parse("ablation")), FeatureAblation.builder().build().spec());
        assertEquals(Methods.resolve(MethodSpec.parse("kernelshap")), KernelShap.builder().build().spec());
        assertEquals(Methods.resolve(MethodSpec.parse("lime")), Lime.builder().build().spec());
        assertEquals(MethodSpec.parse("lime(samples=50, alpha=0.01, distance=cosine, kernelWidth=1.0, seed=42, "
                + "baseline=zeros, perturbationsPerEval=1)"), Lime.builder().build().spec());
        assertEquals(MethodSpec.parse("kernelshap(samples=0, paired=true, seed=42, baseline=zeros, "
                + "perturbationsPerEval=1)"), KernelShap.builder().build().spec());
        assertEquals(MethodSpec.parse("occlusion(window=[1,2], strides=[1], baseline=zeros, perturbationsPerEval=1)"),
                Occlusion.builder().setSlidingWindowShape(1, 2).build().spec());
    }

    @Test
    void occlusionOptionsCompareTheirWindowsByContent() {
        Occlusion.Options a = Occlusion.builder().setSlidingWindowShape(1, 2).optStrides(1, 2).options();
        Occlusion.Options b = Occlusion.builder().setSlidingWindowShape(1, 2).optStrides(1, 2).options();
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Occlusion.builder().setSlidingWindowShape(1, 3).optStrides(1, 2).options());
        assertEquals(Occlusion.builder().setSlidingWindowShape(2).optBaseline(Baseline.of(BASE)).options(),
                Occlusion.builder().setSlidingWindowShape(2).optBaseline(Baseline.of(Tensor.of(BASE.data().clone(), 6))).options());
        assertEquals("occlusion(window=[1,2], strides=[1,2], baseline=zeros, perturbationsPerEval=1)", a.toString());
    }

    @Test
    void differentMasksOrBaselinesNeverShareAKey() {
        Tensor other = Tensor.ofInt64(new long[] {0, 1, 1, 1, 2, 2}, Shape.of(1, 6));
        assertNotEquals(FeatureAblation.builder().optFeatureMask(MASK).build().spec().key(),
                FeatureAblation.builder().optFeatureMask(other).build().spec().key());
        assertNotEquals(Lime.builder().optBaseline(Baseline.of(BASE)).build().spec().key(),
                Lime.builder().optBaseline(Baseline.constant(0.1f)).build().spec().key());
    }

    @Test
    void unknownOptionsAreRefusedListingTheValidOnes() {
        for (String method : List.of("occlusion", "ablation", "kernelshap", "lime")) {
            SpecChecks.assertUnknownOptionListsTheValidOnes(method, "sample");
        }
    }

    @Test
    void illTypedOrOutOfRangeOptionsAreRefusedByName() {
        SpecChecks.assertRefused("lime(samples=many)", "'samples'", "int");
        SpecChecks.assertRefused("lime(distance=manhattan)", "cosine, euclidean");
        SpecChecks.assertRefused("kernelshap(paired=maybe)", "'paired'", "boolean");
        SpecChecks.assertRefused("occlusion(window=[2,0])", "sliding window size = 0");
        SpecChecks.assertRefused("ablation(perturbationsPerEval=0)", "perturbationsPerEval = 0");
        // a file that cannot be read is bad input (Npy.read's error), named by its path
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Methods.create("lime(featureMask=/no/such/mask.npy)"));
        assertTrue(e.getMessage().contains("/no/such/mask.npy"), e.getMessage());
    }

    @Test
    void occlusionWithoutAWindowIsRefusedWithAnExample() {
        SpecChecks.assertRefused("occlusion", "'window'", "occlusion(window=[3,4,4])");
        assertEquals("-", Methods.describe("occlusion").docs().get(0).defaultValue(), "no default window");
    }
}
