package io.attrib4j.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.javalin.http.BadRequestResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON of the HTTP API: reads {@code POST /v1/explain} bodies (every mistake a 400 that says what is
 * wrong and how to fix it) and writes answers.
 *
 * <pre>{@code
 * {"model": "credit", "input": [[0.1, 2, 3]]}                  nested arrays, batch first
 * {"model": "credit", "data": [0.1, 2, 3], "shape": [1, 3]}    or flat row-major data and a shape
 * optional: "target": 2 | [2, 0], "budgetMs": 200, "chain": "fast", "async": true
 * }</pre>
 */
final class ExplainJson {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("model", "input", "data", "shape", "target", "budgetMs", "chain",
            "async");
    private static final String USAGE = "; send {\"model\": NAME, \"input\": [[...]]} or {\"model\": NAME, \"data\": "
            + "[...], \"shape\": [...]}, optionally with \"target\", \"budgetMs\", \"chain\", \"async\"";

    /** A parsed request body. */
    record Parsed(String model, Optional<String> chain, boolean async, ExplainRequest request) {}

    private ExplainJson() {}

    static Parsed parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            String detail = e instanceof JsonProcessingException j
                    ? j.getOriginalMessage().replaceAll(" \\(start marker.*\\)$", "") + " at line "
                            + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr()
                    : e.getMessage();
            throw bad("malformed JSON: " + detail + USAGE);
        }
        if (root == null || !root.isObject()) {
            throw bad("the body must be a JSON object" + USAGE);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad("unknown field \"" + f + "\"; the fields are " + FIELDS);
            }
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw bad("\"model\" is missing or not a string" + USAGE);
        }
        Tensor input = input(root);
        Optional<Target> target = Optional.ofNullable(root.get("target")).map(ExplainJson::target);
        Optional<Duration> budget = Optional.ofNullable(root.get("budgetMs")).map(b -> {
            if (!b.isNumber() || b.asDouble() <= 0 || b.asDouble() > 3_600_000) {
                throw bad("\"budgetMs\" is " + b + "; give a positive number of milliseconds (at most one hour)");
            }
            return Duration.ofNanos(Math.round(b.asDouble() * 1e6));
        });
        JsonNode chain = root.get("chain");
        if (chain != null && !chain.isTextual()) {
            throw bad("\"chain\" is " + chain + "; give a chain name as a string, or leave it out for the default");
        }
        JsonNode async = root.get("async");
        if (async != null && !async.isBoolean()) {
            throw bad("\"async\" is " + async + "; give true or false");
        }
        return new Parsed(model.asText(), Optional.ofNullable(chain).map(JsonNode::asText),
                async != null && async.asBoolean(), new ExplainRequest(input, target, budget));
    }

    /** Checks the input's example shape against the model's. */
    static void checkShape(Tensor input, Shape exampleShape, String model) {
        if (input.shape().rank() < 2 || !input.shape().dropBatch().equals(exampleShape)) {
            throw bad("input has shape " + input.shape() + " but model '" + model + "' takes examples of shape "
                    + exampleShape + ": send a batch of shape " + exampleShape.prependBatch(1)
                    + " (batch first; wrap a single example in one more [ ])");
        }
    }

    private static Tensor input(JsonNode root) {
        JsonNode nested = root.get("input");
        JsonNode data = root.get("data");
        JsonNode shape = root.get("shape");
        if ((nested == null) == (data == null)) {
            throw bad("give exactly one of \"input\" (nested arrays) and \"data\" (flat, with \"shape\")" + USAGE);
        }
        if (nested != null) {
            if (shape != null) {
                throw bad("\"shape\" goes with \"data\"; \"input\" carries its shape in its nesting");
            }
            List<Integer> dims = new ArrayList<>();
            for (JsonNode n = nested; n.isArray(); n = n.get(0)) {
                if (n.isEmpty()) {
                    throw bad("\"input\" has an empty array; every dimension needs at least one element");
                }
                dims.add(n.size());
            }
            int[] d = dims.stream().mapToInt(Integer::intValue).toArray();
            float[] flat = new float[Shape.of(d).size()];
            int[] pos = {0};
            flatten(nested, d, 0, flat, pos, "input");
            return Tensor.of(flat, d);
        }
        if (shape == null || !shape.isArray() || shape.isEmpty()) {
            throw bad("\"data\" needs \"shape\", an array of positive integers such as [1, 12]");
        }
        int[] d = new int[shape.size()];
        long size = 1;
        for (int i = 0; i < d.length; i++) {
            JsonNode n = shape.get(i);
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
                throw bad("\"shape\" " + shape + " has " + n + " at " + i + "; every dimension is a positive integer");
            }
            d[i] = n.asInt();
            size *= d[i];
        }
        if (!data.isArray() || data.size() != size) {
            throw bad("\"data\" has " + (data.isArray() ? data.size() + " numbers" : "no array") + " but shape "
                    + shape + " needs " + size + "; send the row-major numbers of the whole batch");
        }
        float[] flat = new float[(int) size];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = number(data.get(i), "data[" + i + "]");
        }
        return Tensor.of(flat, d);
    }

    private static void flatten(JsonNode n, int[] dims, int axis, float[] out, int[] pos, String where) {
        if (axis == dims.length) {
            out[pos[0]++] = number(n, where);
            return;
        }
        if (!n.isArray() || n.size() != dims[axis]) {
            throw bad("\"input\" is ragged: " + where + " has " + (n.isArray() ? n.size() + " elements" : n)
                    + " where " + dims[axis] + " are expected; every row of a dimension must have the same length");
        }
        for (int i = 0; i < n.size(); i++) {
            flatten(n.get(i), dims, axis + 1, out, pos, where + "[" + i + "]");
        }
    }

    private static float number(JsonNode n, String where) {
        if (n == null || !n.isNumber()) {
            throw bad(where + " is " + n + ", not a number; inputs are arrays of numbers");
        }
        return n.floatValue();
    }

    private static Target target(JsonNode t) {
        if (t.isIntegralNumber() && t.canConvertToInt()) {
            return Target.classIndex(t.asInt());
        }
        if (t.isArray() && t.size() > 0) {
            int[] idx = new int[t.size()];
            for (int i = 0; i < idx.length; i++) {
                if (!t.get(i).isIntegralNumber() || !t.get(i).canConvertToInt()) {
                    throw bad("\"target\" " + t + " has a non-integer at " + i + "; give class indices");
                }
                idx[i] = t.get(i).asInt();
            }
            return Target.perExample(idx);
        }
        throw bad("\"target\" is " + t + "; give a class index (2) or one per example ([2, 0]), or leave it out "
                + "to explain the predicted class");
    }

    /** The answer to an explanation request. */
    static ObjectNode answer(String model, ExplainResponse r, List<ReasonCode> reasons, Long auditSeq) {
        ObjectNode o = JSON.createObjectNode();
        o.put("requestId", r.requestId());
        o.put("model", model);
        o.put("modelHash", r.modelHash());
        o.put("source", r.source().name().toLowerCase(Locale.ROOT));
        o.put("step", r.step().orElse(null));
        o.put("reason", r.reason());
        o.put("latencyMs", r.latency().toNanos() / 1e6);
        o.put("target", r.target());
        ArrayNode classes = o.putArray("predictedClasses");
        for (int c : r.predictedClasses()) {
            classes.add(c);
        }
        o.set("output", tensor(r.output()));
        if (r.attribution().isPresent()) {
            Attribution a = r.attribution().get();
            ObjectNode att = tensor(a.values());
            att.put("method", a.provenance().method());
            if (a.provenance().spec() != null) {
                att.put("spec", a.provenance().spec().toText());
            }
            att.set("parameters", JSON.valueToTree(a.provenance().parameters()));
            a.convergenceDelta().ifPresent(d -> {
                ArrayNode arr = att.putArray("convergenceDelta");
                for (float v : d) {
                    arr.add(v);
                }
            });
            o.set("attribution", att);
        } else {
            o.putNull("attribution");
        }
        if (!reasons.isEmpty()) {
            o.set("reasonCodes", JSON.valueToTree(reasons));
        }
        if (auditSeq != null) {
            o.put("auditRecord", auditSeq);
        }
        return o;
    }

    private static ObjectNode tensor(Tensor t) {
        ObjectNode o = JSON.createObjectNode();
        ArrayNode shape = o.putArray("shape");
        for (int d : t.shape().dims()) {
            shape.add(d);
        }
        ArrayNode data = o.putArray("data");
        for (float v : t.data()) {
            data.add(v);
        }
        return o;
    }

    static BadRequestResponse bad(String message) {
        return new BadRequestResponse(message);
    }
}
