package io.attrib4j.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.Oracle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code attrib4j serve --cache}: memory, none, or a Redis URL (the client connects lazily: no server needed). */
class ServeConfigTest {
    @Test
    void memoryIsTheExplainersOwnDefaultAndNoneCachesNothing() {
        List<AutoCloseable> owned = new ArrayList<>();
        assertNull(ServeConfig.explanationStore("memory", owned));
        ExplanationStore none = ServeConfig.explanationStore("none", owned);
        assertTrue(none.get(new ExplanationStore.Key("h", "m", "i")).isEmpty());
        assertTrue(owned.isEmpty());
    }

    @Test
    void aRedisUrlGivesARedisCacheThatTheServerCloses() throws Exception {
        List<AutoCloseable> owned = new ArrayList<>();
        ExplanationStore redis = ServeConfig.explanationStore("redis://127.0.0.1:6379", owned);
        assertInstanceOf(RedisExplanationCache.class, redis);
        assertEquals(1, owned.size());
        assertSame(redis, owned.get(0));
        owned.get(0).close();
    }

    @Test
    void anythingElseIsRefusedWithTheChoices() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> ServeConfig.explanationStore("caffeine", new ArrayList<>()));
        assertTrue(e.getMessage().contains("memory, none or redis://host:port"), e.getMessage());
    }

    /** A config as the serve command reads it, on a free port, with an audit store in {@code dir}. */
    private static ServeConfig config(Path dir, ServeConfig.ModelConfig model) {
        ServeConfig c = new ServeConfig();
        c.port = 0;
        c.auditDb = dir.resolve("audit").toString();
        c.models = List.of(model);
        return c;
    }

    private static String body(String model, Tensor x, int target) {
        StringBuilder b = new StringBuilder("{\"model\": \"" + model + "\", \"target\": " + target
                + ", \"budgetMs\": 600000, \"shape\": " + java.util.Arrays.toString(x.shape().dims()) + ", \"data\": [");
        float[] d = x.data();
        for (int i = 0; i < d.length; i++) {
            b.append(i == 0 ? "" : ",").append(d[i]);
        }
        return b.append("]}").toString();
    }

    @Test
    void aKernelShapChainExplainsAForwardOnlyOnnxRuntimeModel(@TempDir Path dir) throws Exception {
        ServeConfig.ModelConfig m = ServeConfig.ModelConfig.of(Oracle.modelFile("mlp.onnx").toString());
        m.format = "onnx-runtime";
        m.chain = List.of("kernelshap(samples=64)", "ablation");
        try (RunningServer server = config(dir, m).start()) {
            Tensor x = Oracle.load("mlp/x").row(0);
            java.net.http.HttpResponse<String> r = new HttpClients(server.port(), null).post("/v1/explain",
                    body("mlp", x, 1));
            assertEquals(200, r.statusCode(), r.body());
            com.fasterxml.jackson.databind.JsonNode answer = HttpClients.JSON.readTree(r.body());
            assertEquals("live", answer.get("source").asText(), r.body());
            assertTrue(answer.get("attribution").get("spec").asText().startsWith("kernelshap(samples=64"), r.body());
            assertEquals(12, answer.get("attribution").get("data").size());
        }
    }

    @Test
    void gradCamInAServedChainKeepsItsLayerAndMatchesCaptum(@TempDir Path dir) throws Exception {
        ServeConfig.ModelConfig m = ServeConfig.ModelConfig.of(Oracle.modelFile("cnn_full.onnx").toString());
        m.chain = List.of("gradcam(layer=/features/features.4/Relu_output_0)");
        try (RunningServer server = config(dir, m).start()) {
            Tensor x = Oracle.load("cnn/x").row(0);
            java.net.http.HttpResponse<String> r = new HttpClients(server.port(), null).post("/v1/explain",
                    body("cnn_full", x, 0));
            assertEquals(200, r.statusCode(), r.body());
            com.fasterxml.jackson.databind.JsonNode att = HttpClients.JSON.readTree(r.body()).get("attribution");
            float[] want = Oracle.load("cnn/gradcam").row(0).data();
            float[] got = new float[att.get("data").size()];
            for (int i = 0; i < got.length; i++) {
                got[i] = (float) att.get("data").get(i).asDouble();
            }
            // the CLI's Grad-CAM check on the same graph: 1e-4 of the map's scale
            io.attrib4j.testkit.Close.relative(Tensor.of(want, Oracle.load("cnn/gradcam").row(0).shape()),
                    Tensor.of(got, Oracle.load("cnn/gradcam").row(0).shape()), 1e-4, "served Grad-CAM");
        }
    }

    @Test
    void aTreeModelIsServedWithTreeShapByDefault(@TempDir Path dir) throws Exception {
        Path binary = Path.of("..", "trees", "src", "test", "resources", "trees", "binary");
        ServeConfig.ModelConfig m = ServeConfig.ModelConfig.of(binary.resolve("model.json").toString());
        m.exampleShape = new int[] {30};
        try (RunningServer server = config(dir, m).start()) {
            Tensor x = io.attrib4j.engine.export.Npy.read(binary.resolve("X.npy")).row(2); // the row without missing values: JSON has no NaN
            java.net.http.HttpResponse<String> r = new HttpClients(server.port(), null).post("/v1/explain",
                    body("model", x, 0));
            assertEquals(200, r.statusCode(), r.body());
            com.fasterxml.jackson.databind.JsonNode att = HttpClients.JSON.readTree(r.body()).get("attribution");
            assertTrue(att.get("spec").asText().startsWith("treeshap("), r.body());
            Tensor contribs = io.attrib4j.engine.export.Npy.read(binary.resolve("contribs.npy"));
            for (int j = 0; j < 30; j++) {
                float want = contribs.get(2, j);
                // XGBoost's float32 sums in another order (the library's parity tolerance)
                assertEquals(want, att.get("data").get(j).asDouble(), 1e-5 * Math.max(1, Math.abs(want)));
            }
        }
    }
}
