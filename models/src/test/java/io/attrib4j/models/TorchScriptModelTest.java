package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** TorchScript files against Captum's reference numbers, and the gradient against finite differences. */
class TorchScriptModelTest {

    @Test
    void mlpForwardEqualsOracleLogits() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("mlp.pt"))) {
            Close.relative(Oracle.load("mlp/logits"), m.forward(Oracle.load("mlp/x")), 1e-5, "mlp logits");
        }
    }

    @Test
    void cnnForwardEqualsOracleLogits() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"), Shape.of(3, 32, 32))) {
            Close.relative(Oracle.load("cnn/logits"), m.forward(Oracle.load("cnn/x")), 1e-5, "cnn logits");
        }
    }

    @Test
    void mlpGradientEqualsCaptumSignedSaliency() {
        checkGradient("mlp.pt", "mlp");
    }

    @Test
    void cnnGradientEqualsCaptumSignedSaliency() {
        checkGradient("cnn_full.pt", "cnn");
    }

    private static void checkGradient(String file, String oracle) {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile(file))) {
            ModelGradients g = m.gradients(Oracle.load(oracle + "/x"), Target.perExample(Oracle.loadInts(oracle + "/targets")));
            Close.relative(Oracle.load(oracle + "/logits"), g.output(), 1e-5, oracle + " output of the gradient pass");
            Close.relative(Oracle.load(oracle + "/saliency_signed"), g.inputGradient(), 1e-4, oracle + " input gradient");
        }
    }

    /**
     * Central differences in double on the float32 model: the mlp is piecewise linear, so away from
     * ReLU kinks the difference quotient equals the gradient up to float rounding of the logits
     * (about 1e-7 / (2 eps) = 5e-6 for eps = 1e-2).
     */
    @Test
    void mlpGradientAgreesWithCentralDifferences() {
        Tensor x = Oracle.load("mlp/x");
        int[] targets = Oracle.loadInts("mlp/targets");
        double eps = 1e-2;
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("mlp.pt"))) {
            Tensor grad = m.gradients(x, Target.perExample(targets)).inputGradient();
            double worst = 0;
            for (int i = 0; i < x.batch(); i++) {
                for (int j = 0; j < x.rowSize(); j += 3) {
                    double plus = m.forward(shifted(x, i * 12 + j, (float) eps)).get(i, targets[i]);
                    double minus = m.forward(shifted(x, i * 12 + j, (float) -eps)).get(i, targets[i]);
                    double fd = (plus - minus) / (2 * eps);
                    worst = Math.max(worst, Math.abs(fd - grad.get(i, j)));
                }
            }
            assertTrue(worst <= 1e-3 * Math.max(1, grad.maxAbs()), "finite differences differ by " + worst);
        }
    }

    private static Tensor shifted(Tensor x, int flat, float by) {
        float[] d = x.data().clone();
        d[flat] += by;
        return Tensor.of(d, x.shape());
    }

    @Test
    void infoNamesTheFileAndHashesItsBytes() throws Exception {
        Path file = Oracle.modelFile("mlp.pt");
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        try (TorchScriptModel m = TorchScriptModel.load(file, Shape.of(12))) {
            assertEquals("mlp.pt", m.info().name());
            assertEquals("torchscript", m.info().format());
            assertEquals(expected, m.info().contentHash());
            assertEquals(Shape.of(12), m.info().exampleShape().orElseThrow());
        }
    }
}
