package io.attrib4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.testkit.Close;
import io.attrib4j.models.tf.DenseSavedModel;
import io.attrib4j.testkit.Oracle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every model format and layer method from the command line, checked against Captum's numbers. */
class ModelFormatsCommandTest {
    @TempDir
    Path dir;

    private Path npy(String name, Tensor t) {
        Path f = dir.resolve(name);
        Npy.write(f, t);
        return f;
    }

    @Test
    void integratedGradientsOnAnOnnxFileMatchesCaptum() {
        Path out = dir.resolve("onnx");
        CliRun r = CliRun.of("explain", "--model", Oracle.modelFile("mlp.onnx").toString(), "--input",
                npy("x.npy", Oracle.load("mlp/x")).toString(), "--target", "0,1,2,1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Close.relative(Oracle.load("mlp/ig_gausslegendre_attr"), Npy.read(out.resolve("attributions.npy")), 1e-4,
                "IG on mlp.onnx");
    }

    @Test
    void integratedGradientsOnATensorFlowSavedModelMatchesCaptum() {
        List<Tensor> weights = new ArrayList<>();
        List<Tensor> biases = new ArrayList<>();
        for (String layer : new String[] {"fc1", "fc2", "fc3"}) {
            weights.add(Oracle.load("mlp/weights/" + layer + ".weight"));
            biases.add(Oracle.load("mlp/weights/" + layer + ".bias"));
        }
        Path saved = DenseSavedModel.export(dir.resolve("saved"), weights, biases);
        Path out = dir.resolve("tf");
        CliRun r = CliRun.of("explain", "--model", saved.toString(), "--input",
                npy("x.npy", Oracle.load("mlp/x")).toString(), "--target", "0,1,2,1", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Close.relative(Oracle.load("mlp/ig_gausslegendre_attr"), Npy.read(out.resolve("attributions.npy")), 1e-4,
                "IG on the TensorFlow SavedModel");
    }

    @Test
    void gradCamOnASplitTorchScriptModelWritesTheMapAndItsUpsampledForm() {
        Path out = dir.resolve("cam");
        CliRun r = CliRun.of("explain", "--model", Oracle.modelFile("cnn_features.pt").toString(), "--head",
                Oracle.modelFile("cnn_head.pt").toString(), "--input", npy("x.npy", Oracle.load("cnn/x")).toString(),
                "--method", "gradcam", "--target", "0,5", "--upsample", "bilinear", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        Close.relative(Oracle.load("cnn/gradcam"), Npy.read(out.resolve("attributions.npy")), 1e-4, "gradcam");
        Close.relative(Oracle.load("cnn/gradcam_up_bilinear"), Npy.read(out.resolve("attributions_upsampled.npy")),
                1e-4, "gradcam upsampled");
        assertTrue(out.resolve("heatmap.png").toFile().isFile());
    }

    @Test
    void deepLiftAndGradCamOnAnOnnxFileMatchCaptum() throws IOException {
        Path x = npy("x.npy", Oracle.load("cnn/x"));
        String onnx = Oracle.modelFile("cnn_full.onnx").toString();
        Path dl = dir.resolve("deeplift");
        CliRun r = CliRun.of("explain", "--model", onnx, "--input", x.toString(), "--method", "deeplift", "--target",
                "0,5", "--out", dl.toString());
        assertEquals(0, r.exitCode(), r.err());
        Close.relative(Oracle.load("cnn/deeplift_maxpoolrule_attr"), Npy.read(dl.resolve("attributions.npy")), 1e-4,
                "DeepLIFT on cnn_full.onnx");
        JsonNode deltas = new ObjectMapper().readTree(dl.resolve("explanation.json").toFile()).get("convergenceDelta");
        assertEquals(2, deltas.size());
        for (JsonNode d : deltas) {
            assertTrue(Math.abs(d.asDouble()) < 1e-4, "DeepLIFT is complete: delta " + d);
        }
        Path cam = dir.resolve("gradcam");
        r = CliRun.of("explain", "--model", onnx, "--input", x.toString(), "--method", "gradcam", "--layer",
                "/features/features.4/Relu_output_0", "--target", "0,5", "--out", cam.toString());
        assertEquals(0, r.exitCode(), r.err());
        Close.relative(Oracle.load("cnn/gradcam"), Npy.read(cam.resolve("attributions.npy")), 1e-4,
                "Grad-CAM on cnn_full.onnx");
    }

    @Test
    void unknownLayerOfAnOnnxGraphIsAUsageError() {
        Path x = npy("x.npy", Oracle.load("cnn/x"));
        Path onnx = Oracle.modelFile("cnn_full.onnx");
        CliRun names = CliRun.of("explain", "--model", onnx.toString(), "--input", x.toString(), "--method", "gradcam",
                "--layer", "no-such-layer");
        assertEquals(2, names.exitCode());
        assertTrue(names.err().contains("no-such-layer"), names.err());
    }

    @Test
    void occlusionRunsOnAnyModel() {
        Path out = dir.resolve("occ");
        CliRun r = CliRun.of("explain", "--model", Oracle.modelFile("cnn_full.onnx").toString(), "--input",
                npy("x.npy", Oracle.load("cnn/x")).toString(), "--method", "occlusion", "--window", "3,8,8",
                "--strides", "8", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Shape.of(2, 3, 32, 32), Npy.read(out.resolve("attributions.npy")).shape());
    }
}
