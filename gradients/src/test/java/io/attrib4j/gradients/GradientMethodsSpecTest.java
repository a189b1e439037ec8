package io.attrib4j.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.testkit.ToyModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table over every method {@link GradientMethods} registers: the spec survives JSON and the text form, the
 * method built from a spec reports exactly the resolved spec in its provenance, the text form and the builder
 * build the same method (same spec, bit-identical attributions), and bad options are refused by name.
 */
class GradientMethodsSpecTest {
    private static final Tensor X = random(Shape.of(2, 6), 1);
    private static final Tensor IMAGES = CamTest.random(Shape.of(2, 4, 5, 6), 2);
    private static final Tensor DIST = random(Shape.of(3, 6), 3);
    private static final Tensor BASE = random(Shape.of(1, 6), 4);
    private static final Tensor IDS = Tensor.ofInt64(new long[] {2, 5, 1, 7, 3, 3, 0, 6, 4, 1}, Shape.of(2, 5));
    private static final Path DIR = tempDir();
    private static final String DIST_NPY = npy("dist", DIST);
    private static final String BASE_NPY = npy("base", BASE);

    /** A spec in text form, the same method from its builder, and what to attribute. */
    record Case(String text, Supplier<AttributionMethod> builder, Supplier<ForwardModel> model, Tensor input,
            Target target) {
        @Override
        public String toString() {
            return text.replace(DIR.toString(), "$DIR");
        }
    }

    private static Supplier<ForwardModel> mlp() {
        return () -> ToyModels.tanhMlp(6, 8, 3, 5);
    }

    private static Supplier<ForwardModel> staged() {
        return () -> SpecToyModels.stagedReluNet(6, 5, 3, 6);
    }

    private static Supplier<ForwardModel> layered() {
        return () -> CamTest.poolingHead(7);
    }

    private static Supplier<ForwardModel> tokens() {
        return () -> SpecToyModels.tokenModel(8, 5, 3, 2, 8);
    }

    static Stream<Case> cases() {
        Target t = Target.perExample(0, 2);
        return Stream.of(
                new Case("ig(steps=16, rule=riemann_trapezoid, internalBatchSize=8)",
                        () -> IntegratedGradients.builder().optSteps(16).optRule(IntegrationRule.RIEMANN_TRAPEZOID)
                                .optInternalBatchSize(8).build(), mlp(), X, t),
                new Case("ig(steps=8, baseline=" + BASE_NPY + ", multiplyByInputs=false)",
                        () -> IntegratedGradients.builder().optSteps(8).optBaseline(Baseline.of(BASE))
                                .optMultiplyByInputs(false).build(), mlp(), X, t),
                new Case("adaptive-ig(tolerance=0.05, initialSteps=2, maxSteps=16, baseline=0.25)",
                        () -> AdaptiveIntegratedGradients.builder().optTolerance(0.05).optInitialSteps(2).optMaxSteps(16)
                                .optBaseline(Baseline.constant(0.25f)).build(), mlp(), X, t),
                new Case("saliency(abs=false)", () -> Saliency.builder().optAbs(false).build(), mlp(), X, t),
                new Case("ixg", InputXGradient::withDefaults, mlp(), X, t),
                new Case("smoothgrad", () -> NoiseTunnel.builder(Saliency.withDefaults()).build(), mlp(), X, t),
                new Case("smoothgrad(base=ig(steps=8), type=vargrad, samples=3, stdevs=0.1, samplesPerBatch=2, seed=7)",
                        () -> NoiseTunnel.builder(IntegratedGradients.builder().optSteps(8).build())
                                .optType(NoiseTunnelType.VARGRAD).optSamples(3).optStdev(0.1).optSamplesPerBatch(2)
                                .optSeed(7).build(), mlp(), X, t),
                new Case("gradshap(baselines=" + DIST_NPY + ", samples=4, stdevs=0.05, seed=3)",
                        () -> GradientShap.builder().optBaselines(DIST).optSamples(4).optStdev(0.05).optSeed(3).build(),
                        mlp(), X, t),
                new Case("deeplift(baseline=0.5, captumCompatible=true)",
                        () -> DeepLift.builder().optBaseline(Baseline.constant(0.5f)).optCaptumCompatible(true).build(),
                        staged(), X, t),
                new Case("deepliftshap(baselines=" + DIST_NPY + ", multiplyByInputs=false)",
                        () -> DeepLiftShap.builder().setBaselines(DIST).optMultiplyByInputs(false).build(), staged(),
                        X, t),
                new Case("gradcam(layer=id, relu=true)", () -> GradCam.builder().optLayer("id").optRelu(true).build(),
                        layered(), IMAGES, Target.classIndex(1)),
                new Case("gradcam++(layer=id)", () -> GradCamPlusPlus.builder().optLayer("id").build(), layered(),
                        IMAGES, Target.classIndex(0)),
                new Case("hirescam(layer=id, upsample=bilinear)",
                        () -> HiResCam.builder().optLayer("id").optUpsample(Upsample.BILINEAR).build(), layered(),
                        IMAGES, Target.classIndex(1)),
                new Case("layer-ig(layer=id, steps=8, rule=riemann_middle)",
                        () -> LayerIntegratedGradients.builder().optLayer("id").optIntegratedGradients(
                                IntegratedGradients.builder().optSteps(8).optRule(IntegrationRule.RIEMANN_MIDDLE).build())
                                .build(), layered(), IMAGES, Target.perExample(1, 0)),
                new Case("ig-embeddings(steps=8, baselineToken=1)",
                        () -> TokenAttribution.builder(TokenAttribution.Kind.INTEGRATED_GRADIENTS).optSteps(8)
                                .optBaselineToken(1).build(), tokens(), IDS, Target.classIndex(1)),
                new Case("ig-embeddings(kind=saliency, layer=embedding)",
                        () -> TokenAttribution.builder(TokenAttribution.Kind.SALIENCY).optLayer("embedding").build(),
                        tokens(), IDS, Target.classIndex(0)));
    }

    @Test
    void theTableCoversEveryRegisteredGradientMethod() {
        Set<String> covered = cases().map(c -> MethodSpec.parse(c.text()).name()).collect(Collectors.toSet());
        Set<String> registered = new GradientMethods().methods().stream().map(MethodDescriptor::name)
                .collect(Collectors.toSet());
        assertEquals(registered, covered);
        assertEquals(13, registered.size());
        assertTrue(Methods.names().containsAll(registered), "all found by ServiceLoader: " + Methods.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specSurvivesJsonAndText(Case c) {
        MethodSpec resolved = Methods.resolve(MethodSpec.parse(c.text()));
        MethodSpec fromJson = MethodSpec.fromJson(resolved.toJsonString());
        assertEquals(resolved, fromJson, "JSON as read");
        assertEquals(resolved, Methods.resolve(fromJson), "JSON, resolved again");
        if (holdsTensor(resolved)) {
            // a tensor's text form names it by content hash: the text a person types names the file instead
            assertTrue(resolved.toText().contains("sha256:"), resolved.toText());
            assertEquals(resolved, Methods.resolve(MethodSpec.parse(MethodSpec.parse(c.text()).toText())));
        } else {
            assertEquals(resolved, Methods.resolve(MethodSpec.parse(resolved.toText())), resolved.toText());
        }
        assertEquals(resolved, Methods.resolve(resolved), "resolving is idempotent");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void methodFromASpecReportsThatSpec(Case c) {
        MethodSpec spec = MethodSpec.parse(c.text());
        Attribution a = Methods.create(spec).attribute(c.model().get(), c.input(), c.target());
        assertEquals(Methods.resolve(spec), a.provenance().spec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void textAndBuilderBuildTheSameMethod(Case c) {
        AttributionMethod fromText = Methods.create(c.text());
        AttributionMethod fromBuilder = c.builder().get();
        assertEquals(fromText.spec(), fromBuilder.spec());
        assertEquals(fromText.name(), fromBuilder.name());
        Attribution a = fromText.attribute(c.model().get(), c.input(), c.target());
        Attribution b = fromBuilder.attribute(c.model().get(), c.input(), c.target());
        assertArrayEquals(b.values().data(), a.values().data(), 0f, "bit for bit");
        assertEquals(b.values().shape(), a.values().shape());
        assertEquals(b.convergenceDelta().isPresent(), a.convergenceDelta().isPresent());
        b.convergenceDelta().ifPresent(d -> assertArrayEquals(d, a.convergenceDelta().orElseThrow(), 0f));
        assertEquals(b.provenance().parameters().keySet(), a.provenance().parameters().keySet());
        assertEquals(b.provenance().seed(), a.provenance().seed());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void unknownOptionsAndWrongTypesAreRefusedByName(Case c) {
        MethodSpec spec = MethodSpec.parse(c.text());
        MethodDescriptor<?> d = Methods.describe(spec.name());
        List<String> options = Stream.of(d.optionsType().getRecordComponents()).map(RecordComponent::getName).toList();
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> Methods.create(spec.with("noSuchOption", 1)));
        assertTrue(unknown.getMessage().contains("noSuchOption"), unknown.getMessage());
        for (String o : options) {
            assertTrue(unknown.getMessage().contains(o), "lists '" + o + "': " + unknown.getMessage());
        }
        for (RecordComponent rc : d.optionsType().getRecordComponents()) {
            Class<?> type = rc.getType();
            if (type == int.class || type == double.class || type == boolean.class || type == Long.class
                    || type.isEnum()) {
                InvalidOptionException wrong = assertThrows(InvalidOptionException.class,
                        () -> Methods.create(spec.with(rc.getName(), "notAValue")), rc.getName());
                assertTrue(wrong.getMessage().contains(rc.getName()) && wrong.getMessage().contains("notAValue"),
                        wrong.getMessage());
            }
        }
    }

    @Test
    void requiredBaselinesAreNamedWithAnExample() {
        for (String name : List.of("gradshap", "deepliftshap")) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> Methods.create(name));
            assertTrue(e.getMessage().contains("'baselines'") && e.getMessage().contains(name + "(baselines="),
                    e.getMessage());
        }
        assertThrows(InvalidOptionException.class, () -> GradientShap.builder().build());
    }

    @Test
    void noiseTunnelsDefaultBaseIsSaliencyResolved() {
        assertEquals(Methods.resolve(MethodSpec.of("saliency")), NoiseTunnel.Options.DEFAULT_BASE);
        assertEquals(Methods.resolve(MethodSpec.parse("smoothgrad(base=saliency)")), Methods.resolve(MethodSpec.of("smoothgrad")));
        MethodSpec nested = Methods.resolve(MethodSpec.parse("smoothgrad(base=ig(steps=8))"));
        assertEquals(Methods.resolve(MethodSpec.parse("ig(steps=8)")), nested.options().get("base"),
                "the nested spec is resolved too");
    }

    @Test
    void recordedDrawsTakeThePlaceOfTheSeed() {
        Tensor noise = random(Shape.of(4, 6), 9);
        NoiseTunnel nt = NoiseTunnel.builder(Saliency.withDefaults()).optSamples(2).optNoise(noise).optSeed(5).build();
        assertEquals(null, nt.seed());
        assertTrue(!nt.spec().options().containsKey("seed"), nt.spec().toText());
        GradientShap gs = GradientShap.builder().optBaselines(DIST).optSamples(1)
                .optDraws(new int[] {0, 2}, random(Shape.of(2, 6), 10), new float[] {0.25f, 0.75f}).build();
        assertEquals(null, gs.seed());
        Attribution replayed = gs.attribute(ToyModels.tanhMlp(6, 8, 3, 5), X, Target.classIndex(0));
        assertEquals(null, replayed.provenance().seed());
        Attribution again = Methods.create(replayed.provenance().spec()).attribute(ToyModels.tanhMlp(6, 8, 3, 5), X,
                Target.classIndex(0));
        assertArrayEquals(replayed.values().data(), again.values().data(), 0f, "the spec carries the draws");
        assertThrows(InvalidOptionException.class, () -> Methods.create(
                MethodSpec.parse("gradshap(baselines=" + DIST_NPY + ", baselineIndex=[0,1])")), "all three draws or none");
    }

    private static boolean holdsTensor(MethodSpec spec) {
        return spec.options().values().stream()
                .anyMatch(v -> v instanceof Tensor || v instanceof MethodSpec s && holdsTensor(s));
    }

    private static Tensor random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] d = new float[shape.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextDouble(-1, 1);
        }
        return Tensor.of(d, shape);
    }

    private static Path tempDir() {
        try {
            Path dir = Files.createTempDirectory("attrib4j-specs");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String npy(String name, Tensor t) {
        Path file = DIR.resolve(name + ".npy");
        Npy.write(file, t);
        file.toFile().deleteOnExit();
        return file.toString();
    }
}
