package io.attrib4j.gradients;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Captum 0.8.0's NoiseTunnel numbers (oracle README 6.6), replayed from the recorded noise {@code nt_noise}
 * (stdev 0.2, 10 samples): every base method and type, on the mlp (pure-Java {@link OracleMlp}) and on the
 * cnn through TorchScript.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoiseTunnelParityTest {
    private static final double REL = 1e-4;
    private static final int SAMPLES = 10;

    private GradientModel mlp;
    private GradientModel cnn;

    @BeforeAll
    void loadModels() {
        mlp = new OracleMlp();
        cnn = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"));
    }

    @AfterAll
    void closeModels() {
        mlp.close();
        cnn.close();
    }

    private static final Map<String, AttributionMethod> BASES = Map.of(
            "saliency_abs", Saliency.withDefaults(),
            "saliency_signed", Saliency.builder().optAbs(false).build(),
            "input_x_gradient", InputXGradient.withDefaults(),
            "ig_riemann_trapezoid",
            IntegratedGradients.builder().optRule(IntegrationRule.RIEMANN_TRAPEZOID).optSteps(50).build());

    private static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String data : List.of("mlp", "cnn")) {
            for (String base : List.of("saliency_abs", "saliency_signed", "input_x_gradient", "ig_riemann_trapezoid")) {
                for (NoiseTunnelType type : NoiseTunnelType.values()) {
                    all.add(Arguments.of(data, base, type));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: nt_{1}_{2}")
    @MethodSource("cases")
    void matchesCaptum(String data, String base, NoiseTunnelType type) {
        Tensor x = Oracle.load(data + "/x");
        Target targets = Target.perExample(Oracle.loadInts(data + "/targets"));
        NoiseTunnel nt = NoiseTunnel.builder(BASES.get(base)).optType(type).optSamples(SAMPLES).optStdev(0.2)
                .optNoise(Oracle.load(data + "/nt_noise")).build();
        String ref = data + "/nt_" + base + "_" + type.captumName();
        Close.relative(Oracle.load(ref), nt.attribute(data.equals("mlp") ? mlp : cnn, x, targets).values(), REL, ref);
    }
}
