package io.attrib4j.engine.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Provenance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/**
 * An {@link Attribution}'s record as JSON: method, parameters, target, model (name, format, hash),
 * backend, seed, library version, timing, creation time, the shape of the values and the per-example
 * convergence delta, then caller-supplied fields (such as {@link Prediction}s). The values themselves
 * go to a {@code .npy} file ({@link Npy}). Pretty-printed.
 *
 * <pre>{@code
 * {
 *   "method" : "IntegratedGradients",
 *   "parameters" : { "steps" : 50, ... },
 *   "target" : "class 3",
 *   "model" : { "name" : "cnn.pt", "format" : "torchscript", "hash" : "9f2c..." },
 *   "backend" : "cpu-nd4j", "seed" : null, "libraryVersion" : "0.1.0",
 *   "timing" : { "totalMs" : 12.5, "modelMs" : 10.1, "modelCalls" : 1, "modelEvaluations" : 50 },
 *   "createdAt" : "2026-11-23T11:00:00Z",
 *   "shape" : [ 1, 3, 32, 32 ], "dtype" : "FLOAT32",
 *   "convergenceDelta" : [ 1.2E-6 ],
 *   "predictions" : [ { "example" : 0, "classIndex" : 3, "label" : "red", "score" : 0.97 } ]
 * }
 * }</pre>
 */
public final class ExplanationJson {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExplanationJson() {}

    /**
     * A model's answer for one example, for the {@code predictions} field.
     *
     * @param example index in the batch
     * @param classIndex the class explained or predicted
     * @param label the class's name, or {@code null}
     * @param score the model's score for the class (a probability or logit, as the caller says)
     */
    public record Prediction(int example, int classIndex, String label, double score) {}

    /** The JSON tree; {@code extra} fields (may be empty) are added after the attribution's own. */
    public static ObjectNode toTree(Attribution attribution, Map<String, ?> extra) {
        Provenance p = attribution.provenance();
        ObjectNode root = MAPPER.createObjectNode();
        root.put("method", p.method());
        if (p.spec() != null) {
            root.put("spec", p.spec().toText());
        }
        ObjectNode params = root.putObject("parameters");
        p.parameters().forEach((k, v) -> params.set(k, value(v)));
        root.put("target", p.target());
        ObjectNode model = root.putObject("model");
        model.put("name", p.modelName());
        model.put("format", p.modelFormat());
        model.put("hash", p.modelHash());
        root.put("backend", p.backend());
        if (p.seed() == null) {
            root.putNull("seed");
        } else {
            root.put("seed", p.seed());
        }
        root.put("libraryVersion", p.libraryVersion());
        ObjectNode timing = root.putObject("timing");
        Provenance.Timing t = p.timing();
        if (t != null) {
            timing.put("totalMs", t.totalMillis());
            timing.put("modelMs", t.modelMillis());
            timing.put("modelCalls", t.modelCalls());
            timing.put("modelEvaluations", t.modelEvaluations());
        }
        root.put("createdAt", p.createdAt() == null ? null : p.createdAt().toString());
        ArrayNode shape = root.putArray("shape");
        for (int d : attribution.values().shape().dims()) {
            shape.add(d);
        }
        root.put("dtype", attribution.values().dtype().name());
        attribution.convergenceDelta().ifPresentOrElse(delta -> {
            ArrayNode a = root.putArray("convergenceDelta");
            for (float d : delta) {
                a.add(d);
            }
        }, () -> root.putNull("convergenceDelta"));
        extra.forEach((k, v) -> root.set(k, MAPPER.valueToTree(v)));
        return root;
    }

    /** The pretty-printed JSON text. */
    public static String toJson(Attribution attribution, Map<String, ?> extra) {
        try {
            return MAPPER.writeValueAsString(toTree(attribution, extra));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize explanation", e);
        }
    }

    /** Writes the JSON to {@code file}, creating parent folders. */
    public static void write(Path file, Attribution attribution, Map<String, ?> extra) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson(attribution, extra));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write explanation JSON " + file, e);
        }
    }

    /** Parameters are whatever a method recorded: numbers, text, arrays and lists as JSON; anything else as text. */
    private static JsonNode value(Object v) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof CharSequence
                || v instanceof Collection<?> || v instanceof Map<?, ?> || (v.getClass().isArray() && isPlain(v))) {
            try {
                return MAPPER.valueToTree(v);
            } catch (IllegalArgumentException e) {
                return MAPPER.getNodeFactory().textNode(String.valueOf(v));
            }
        }
        return MAPPER.getNodeFactory().textNode(v instanceof Enum<?> e ? e.name() : String.valueOf(v));
    }

    private static boolean isPlain(Object array) {
        Class<?> c = array.getClass().getComponentType();
        return c.isPrimitive() || Number.class.isAssignableFrom(c) || c == String.class || Array.getLength(array) == 0;
    }
}
