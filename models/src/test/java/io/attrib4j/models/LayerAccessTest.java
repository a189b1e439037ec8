package io.attrib4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.LayerGradients;
import io.attrib4j.engine.model.LayerModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.models.zoo.OracleNets;
import io.attrib4j.models.zoo.Zoo;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.util.HashMap;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Layer access against the activations and layer gradients PyTorch recorded for the oracle CNN's
 * Grad-CAM layer (the 2nd ReLU): through the two TorchScript halves and through the DJL rebuild.
 */
class LayerAccessTest {
    private static final List<String> CNN_KEYS = List.of(
            "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "head.2.weight", "head.2.bias");

    static DjlBlockModel cnnBlock() {
        Map<String, Tensor> dict = new HashMap<>();
        CNN_KEYS.forEach(k -> dict.put(k, Oracle.load("cnn/weights/" + k)));
        return OracleNets.cnn(dict);
    }

    static TorchScriptModel cnnSplit() {
        return TorchScriptModel.loadSplit(Oracle.modelFile("cnn_features.pt"), Oracle.modelFile("cnn_head.pt"),
                Shape.of(3, 32, 32));
    }

    @Test
    void twoTorchScriptFilesGiveTheLayerAndItsGradient() {
        try (TorchScriptModel m = cnnSplit()) {
            assertEquals(List.of(TorchScriptModel.FEATURES), m.layerNames());
            checkAgainstOracle(m, TorchScriptModel.FEATURES);
        }
    }

    /**
     * One scripted module exporting {@code features(x)} and {@code head(a)}: the oracle CNN's weights,
     * built by {@code fixtures/make_split_methods.py} with Debian's PyTorch 1.13.
     */
    @Test
    void oneTorchScriptModuleExportingFeaturesAndHeadGivesTheLayer() throws Exception {
        Path file = Files.createTempFile("cnn_split_methods", ".pt");
        try (InputStream in = LayerAccessTest.class.getResourceAsStream("/fixtures/cnn_split_methods.pt")) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (TorchScriptModel m = TorchScriptModel.load(file, Shape.of(3, 32, 32))) {
            assertEquals(List.of(TorchScriptModel.FEATURES), m.layerNames());
            checkAgainstOracle(m, TorchScriptModel.FEATURES);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void djlBlockGivesNestedLayerAndItsGradient() {
        try (DjlBlockModel m = cnnBlock()) {
            checkAgainstOracle(m, "features.4");
            checkAgainstOracle(m, "features"); // the container ends at the same cut
        }
    }

    private static void checkAgainstOracle(LayerModel m, String layer) {
        Tensor x = Oracle.load("cnn/x");
        Target t = Target.perExample(Oracle.loadInts("cnn/targets"));
        Close.relative(Oracle.load("cnn/features"), m.layerActivation(x, layer), 1e-5, layer + " activation");
        Close.relative(Oracle.load("cnn/logits"), m.forward(x), 1e-5, "logits of the split model");

        LayerGradients g = m.layerGradients(x, layer, t);
        Close.relative(Oracle.load("cnn/gradcam_layer_activation"), g.activation(), 1e-5, layer + " activation");
        Close.relative(Oracle.load("cnn/gradcam_layer_grad"), g.gradient(), 1e-4, layer + " gradient");
        Close.relative(Oracle.load("cnn/logits"), g.output(), 1e-5, layer + " output");

        ModelGradients rest = m.gradientsFromLayer(layer, Oracle.load("cnn/features"), t);
        Close.relative(Oracle.load("cnn/gradcam_layer_grad"), rest.inputGradient(), 1e-4, layer + " gradient from layer");
        Close.relative(Oracle.load("cnn/logits"), rest.output(), 1e-5, layer + " output from layer");
    }

    @Test
    void earlierLayerGradientMatchesTheChainRule() {
        // d logit / d features.3 = d logit / d features.4 where the ReLU is open, 0 where it is closed
        try (DjlBlockModel m = cnnBlock()) {
            Tensor x = Oracle.load("cnn/x");
            Target t = Target.perExample(Oracle.loadInts("cnn/targets"));
            LayerGradients conv = m.layerGradients(x, "features.3", t);
            float[] relu = Oracle.load("cnn/gradcam_layer_grad").data();
            float[] expected = new float[relu.length];
            for (int i = 0; i < relu.length; i++) {
                expected[i] = conv.activation().data()[i] > 0 ? relu[i] : 0f;
            }
            Close.relative(Tensor.of(expected, conv.gradient().shape()), conv.gradient(), 1e-4, "features.3 gradient");
        }
    }

    @Test
    void unknownLayerListsTheNames() {
        try (DjlBlockModel m = cnnBlock()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> m.layerActivation(Oracle.load("cnn/x"), "features.9"));
            assertTrue(e.getMessage().contains("features.9") && e.getMessage().contains("features.4")
                    && e.getMessage().contains("head.2"), e.getMessage());
        }
        try (TorchScriptModel m = cnnSplit()) {
            InvalidInputException e = assertThrows(InvalidInputException.class,
                    () -> m.layerGradients(Oracle.load("cnn/x"), "layer4", Target.classIndex(0)));
            assertTrue(e.getMessage().contains("[features]"), e.getMessage());
        }
    }

    @Test
    void plainTorchScriptFileExplainsBothConventions() {
        try (TorchScriptModel m = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"))) {
            assertEquals(List.of(), m.layerNames());
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> m.layerGradients(Oracle.load("cnn/x"), "features", Target.classIndex(0)));
            assertTrue(e.getMessage().contains("loadSplit") && e.getMessage().contains("features(x)")
                    && e.getMessage().contains("head(a)"), e.getMessage());
        }
    }

    @Test
    void layerInsideAResidualUnitIsNotACutPoint() {
        try (DjlBlockModel m = Zoo.resnet18(10, 32, 1)) {
            List<String> cuts = m.cutPoints();
            String inner = m.layerNames().stream().filter(n -> !cuts.contains(n)).findFirst().orElseThrow();
            UnsupportedModelException e = assertThrows(UnsupportedModelException.class,
                    () -> m.layerActivation(Tensor.zeros(Shape.of(1, 3, 32, 32)), inner));
            assertTrue(e.getMessage().contains("not a cut point") && e.getMessage().contains(cuts.get(0)), e.getMessage());
            // every cut point composes back to the model
            Tensor x = Tensor.filled(Shape.of(1, 3, 32, 32), 0.5f);
            Tensor full = m.forward(x);
            String last = cuts.get(cuts.size() - 2);
            Close.relative(full, m.gradientsFromLayer(last, m.layerActivation(x, last), Target.classIndex(0)).output(),
                    1e-5, "head(layer(x)) at " + last + " of " + cuts);
        }
    }
}
