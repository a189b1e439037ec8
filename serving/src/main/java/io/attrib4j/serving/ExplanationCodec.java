package io.attrib4j.serving;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.Provenance;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.attrib4j.engine.spec.MethodSpec;
import java.time.Instant;
import java.util.Map;

/**
 * An {@link Attribution} as bytes for an out-of-process cache: a UTF-8 JSON document with the values and
 * convergence delta as base64 little-endian float32 (bit-exact), and every {@link Provenance} field, so a
 * replica that reads it answers exactly what the replica that computed it did.
 *
 * <pre>{@code
 * {"format": 1, "dtype": "FLOAT32", "shape": [1, 4], "values": "<base64>", "delta": "<base64>" | null,
 *  "provenance": {"method": ..., "parameters": {...}, ..., "timing": {...}, "createdAt": "2026-...Z"}}
 * }</pre>
 * Option values come back as JSON types (numbers, strings, lists, maps): an enum option reads back as its
 * name, which is what the HTTP answer and the audit record write anyway.
 */
final class ExplanationCodec {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExplanationCodec() {}

    static byte[] encode(Attribution a) {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("dtype", a.values().dtype().name());
        o.set("shape", JSON.valueToTree(a.values().shape().dims()));
        o.put("values", floats(a.values().data()));
        o.put("delta", a.convergenceDelta().map(ExplanationCodec::floats).orElse(null));
        Provenance p = a.provenance();
        ObjectNode prov = o.putObject("provenance");
        prov.put("method", p.method());
        prov.set("parameters", JSON.valueToTree(p.parameters()));
        prov.put("target", p.target());
        prov.put("modelName", p.modelName());
        prov.put("modelFormat", p.modelFormat());
        prov.put("modelHash", p.modelHash());
        prov.put("backend", p.backend());
        prov.put("seed", p.seed());
        prov.put("libraryVersion", p.libraryVersion());
        prov.set("timing", JSON.valueToTree(p.timing()));
        prov.put("createdAt", p.createdAt() == null ? null : p.createdAt().toString());
        prov.set("spec", p.spec() == null ? null : p.spec().toJson());
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new UncheckedIOException("an in-memory JSON tree always serializes", e);
        }
    }

    /**
     * The attribution {@link #encode} wrote.
     *
     * @throws IllegalArgumentException for bytes that are not such a document (another format version, a
     *     truncated or foreign value)
     */
    static Attribution decode(byte[] bytes) {
        try {
            JsonNode o = JSON.readTree(bytes);
            if (o == null || o.path("format").asInt() != FORMAT) {
                throw new IllegalArgumentException("not a format-" + FORMAT + " cached explanation");
            }
            Shape shape = Shape.of(JSON.treeToValue(o.get("shape"), int[].class));
            float[] values = floats(o.get("values").binaryValue());
            Tensor tensor = DType.valueOf(o.get("dtype").asText()) == DType.INT64
                    ? Tensor.ofInt64(toLongs(values), shape) : Tensor.of(values, shape);
            JsonNode delta = o.get("delta");
            JsonNode p = o.get("provenance");
            Map<String, Object> parameters = JSON.convertValue(p.get("parameters"), new TypeReference<>() {});
            JsonNode created = p.get("createdAt");
            Provenance provenance = new Provenance(text(p, "method"), parameters, text(p, "target"),
                    text(p, "modelName"), text(p, "modelFormat"), text(p, "modelHash"), text(p, "backend"),
                    p.get("seed").isNull() ? null : p.get("seed").asLong(), text(p, "libraryVersion"),
                    JSON.treeToValue(p.get("timing"), Provenance.Timing.class),
                    created.isNull() ? null : Instant.parse(created.asText()),
                    p.path("spec").isObject() ? MethodSpec.fromJson(p.get("spec")) : null);
            return new Attribution(tensor, delta.isNull() ? null : floats(delta.binaryValue()), provenance);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable cached explanation (" + e.getMessage() + ")", e);
        }
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }

    private static byte[] floats(float[] values) {
        ByteBuffer buf = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return buf.array();
    }

    private static float[] floats(byte[] bytes) {
        float[] values = new float[bytes.length / 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static long[] toLongs(float[] values) {
        long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = (long) values[i];
        }
        return longs;
    }
}
