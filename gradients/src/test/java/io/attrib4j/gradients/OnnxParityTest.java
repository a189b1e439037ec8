package io.attrib4j.gradients;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Target;
import io.attrib4j.models.onnx.OnnxModel;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Integrated Gradients through the ONNX executor: the oracle's {@code mlp.onnx} and {@code cnn_full.onnx}
 * against Captum 0.8.0's numbers for every integration rule (oracle README 6.2).
 */
class OnnxParityTest {
    private static final double REL = 1e-4;
    private static final double DELTA_ABS = 1e-5;

    private static Stream<Arguments> filesAndRules() {
        List<Arguments> all = new ArrayList<>();
        for (String[] m : new String[][] {{"mlp.onnx", "mlp"}, {"cnn_full.onnx", "cnn"}}) {
            for (IntegrationRule rule : IntegrationRule.values()) {
                all.add(Arguments.of(m[0], m[1], rule));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: IG {2}")
    @MethodSource("filesAndRules")
    void integratedGradientsMatchCaptum(String file, String data, IntegrationRule rule) {
        try (OnnxModel model = OnnxModel.load(Oracle.modelFile(file))) {
            Attribution a = IntegratedGradients.builder().optRule(rule).optSteps(50).build()
                    .attribute(model, Oracle.load(data + "/x"), Target.perExample(Oracle.loadInts(data + "/targets")));
            String ref = data + "/ig_" + rule.captumName();
            Close.relative(Oracle.load(ref + "_attr"), a.values(), REL, file + " " + ref + "_attr");
            Close.absolute(Oracle.loadFloats(ref + "_delta"), a.convergenceDelta().orElseThrow(), DELTA_ABS,
                    file + " " + ref + "_delta");
        }
    }
}
