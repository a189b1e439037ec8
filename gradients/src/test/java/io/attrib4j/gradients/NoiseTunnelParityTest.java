package io.attrib4j.gradients;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import io.attrib4j.testkit.OracleMlp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * (stdev 0.2, 10 samples): every base method and type, on the mlp (pure-Java {@link OracleMlp}), on the
 * cnn through TorchScript, and on both through their ONNX files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoiseTunnelParityTest {
    private static final double REL = 1e-4;
    private static final int SAMPLES = 10;

    /** Models by name, each with its oracle data set ({@link #DATA}). */
    private final Map<String, GradientModel> models = new LinkedHashMap<>();
    private static final Map<String, String> DATA = Map.of("mlp (pure Java)", "mlp", "cnn_full.pt", "cnn",
            "mlp.onnx", "mlp", "cnn_full.onnx", "cnn");

    @BeforeAll
    void loadModels() {
        models.put("mlp (pure Java)", new OracleMlp());
        models.put("cnn_full.pt", TorchScriptModel.load(Oracle.modelFile("cnn_full.pt")));
        models.put("mlp.onnx", OnnxModel.load(Oracle.modelFile("mlp.onnx")));
        models.put("cnn_full.onnx", OnnxModel.load(Oracle.modelFile("cnn_full.onnx")));
    }

    @AfterAll
    void closeModels() {
        models.values().forEach(GradientModel::close);
    }

    private static final Map<String, AttributionMethod> BASES = Map.of(
            "saliency_abs", Saliency.withDefaults(),
            "saliency_signed", Saliency.builder().optAbs(false).build(),
            "input_x_gradient", InputXGradient.withDefaults(),
            "ig_riemann_trapezoid",
            IntegratedGradients.builder().optRule(IntegrationRule.RIEMANN_TRAPEZOID).optSteps(50).build());

    private static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String model : List.of("mlp (pure Java)", "cnn_full.pt", "mlp.onnx", "cnn_full.onnx")) {
            for (String base : List.of("saliency_abs", "saliency_signed", "input_x_gradient", "ig_riemann_trapezoid")) {
                for (NoiseTunnelType type : NoiseTunnelType.values()) {
                    all.add(Arguments.of(model, base, type));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: nt_{1}_{2}")
    @MethodSource("cases")
    void matchesCaptum(String model, String base, NoiseTunnelType type) {
        String data = DATA.get(model);
        Tensor x = Oracle.load(data + "/x");
        Target targets = Target.perExample(Oracle.loadInts(data + "/targets"));
        NoiseTunnel nt = NoiseTunnel.builder(BASES.get(base)).optType(type).optSamples(SAMPLES).optStdev(0.2)
                .optNoise(Oracle.load(data + "/nt_noise")).build();
        String ref = data + "/nt_" + base + "_" + type.captumName();
        Close.relative(Oracle.load(ref), nt.attribute(models.get(model), x, targets).values(), REL, model + " " + ref);
    }
}
