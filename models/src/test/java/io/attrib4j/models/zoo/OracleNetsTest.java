package io.attrib4j.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.TorchScriptModel;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DJL rebuilds of the oracle networks compute what the TorchScript files compute. */
class OracleNetsTest {
    static final List<String> MLP_KEYS = List.of("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias");
    static final List<String> CNN_KEYS = List.of(
            "features.0.weight", "features.0.bias", "features.3.weight", "features.3.bias", "head.2.weight", "head.2.bias");

    static Map<String, Tensor> stateDict(String net, List<String> keys) {
        Map<String, Tensor> dict = new HashMap<>();
        for (String k : keys) {
            dict.put(k, Oracle.load(net + "/weights/" + k));
        }
        return dict;
    }

    @Test
    void mlpMatchesTorchScriptAndOracle() {
        try (DjlBlockModel djl = OracleNets.mlp(stateDict("mlp", MLP_KEYS));
                TorchScriptModel ts = TorchScriptModel.load(Oracle.modelFile("mlp.pt"))) {
            compare(djl, ts, "mlp");
        }
    }

    @Test
    void cnnMatchesTorchScriptAndOracle() {
        try (DjlBlockModel djl = OracleNets.cnn(stateDict("cnn", CNN_KEYS));
                TorchScriptModel ts = TorchScriptModel.load(Oracle.modelFile("cnn_full.pt"))) {
            compare(djl, ts, "cnn");
        }
    }

    private static void compare(DjlBlockModel djl, TorchScriptModel ts, String net) {
        Tensor x = Oracle.load(net + "/x");
        Target t = Target.perExample(Oracle.loadInts(net + "/targets"));
        ModelGradients a = djl.gradients(x, t);
        ModelGradients b = ts.gradients(x, t);
        Close.relative(Oracle.load(net + "/logits"), djl.forward(x), 1e-5, net + " djl logits");
        Close.relative(b.output(), a.output(), 1e-5, net + " djl vs torchscript logits");
        Close.relative(b.inputGradient(), a.inputGradient(), 1e-4, net + " djl vs torchscript gradient");
        Close.relative(Oracle.load(net + "/saliency_signed"), a.inputGradient(), 1e-4, net + " djl gradient vs Captum");
    }

    @Test
    void cnnFeaturesLayerIsTheGradCamLayer() {
        try (DjlBlockModel djl = OracleNets.cnn(stateDict("cnn", CNN_KEYS))) {
            assertTrue(djl.layers().keySet().containsAll(List.of("features", "features.4", "head", "head.2")));
            assertThrows(InvalidInputException.class, () -> djl.layer("features.9"));
            // the features sub-block alone reproduces the oracle's 2nd-ReLU output
            try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager("PyTorch")) {
                Tensor x = Oracle.load("cnn/x");
                ai.djl.ndarray.NDArray out = djl.layer("features").forward(
                        new ai.djl.training.ParameterStore(m, false),
                        new ai.djl.ndarray.NDList(m.create(x.data(), new ai.djl.ndarray.types.Shape(x.shape().toLongArray()))),
                        false).singletonOrThrow();
                Tensor got = Tensor.of(out.toFloatArray(), Shape.of(out.getShape().getShape()));
                Close.relative(Oracle.load("cnn/features"), got, 1e-5, "features.4 output");
            }
        }
    }

    @Test
    void contentHashFollowsTheWeights() {
        Map<String, Tensor> dict = stateDict("mlp", MLP_KEYS);
        try (DjlBlockModel a = OracleNets.mlp(dict); DjlBlockModel b = OracleNets.mlp(dict)) {
            assertEquals(a.info().contentHash(), b.info().contentHash());
            assertEquals("djl-block", a.info().format());
        }
        float[] w = dict.get("fc3.bias").data().clone();
        w[0] += 1e-3f;
        Map<String, Tensor> changed = new HashMap<>(dict);
        changed.put("fc3.bias", Tensor.of(w, 3));
        try (DjlBlockModel a = OracleNets.mlp(dict); DjlBlockModel b = OracleNets.mlp(changed)) {
            assertNotEquals(a.info().contentHash(), b.info().contentHash());
        }
    }

    @Test
    void missingOrMisshapedWeightsNameTheKey() {
        Map<String, Tensor> dict = stateDict("mlp", MLP_KEYS);
        dict.remove("fc2.bias");
        ModelLoadException missing = assertThrows(ModelLoadException.class, () -> OracleNets.mlp(dict));
        assertTrue(missing.getMessage().contains("fc2.bias") && missing.getMessage().contains("[32]"), missing.getMessage());

        dict.put("fc2.bias", Tensor.zeros(Shape.of(31)));
        ModelLoadException shape = assertThrows(ModelLoadException.class, () -> OracleNets.mlp(dict));
        assertTrue(shape.getMessage().contains("fc2.bias") && shape.getMessage().contains("[31]"), shape.getMessage());
    }
}
