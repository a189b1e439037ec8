package io.attrib4j.engine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.attrib4j.engine.ContentHash;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A method as a value: its registered name ({@code ig}) and its options by name. It is what a person types
 * ({@code ig(steps=32, rule=riemann_trapezoid)}, {@code smoothgrad(base=ig(steps=8), samples=10)}), what a
 * service config and a sweep list, what {@link Methods#create} builds, what provenance reports, the cache key
 * and the audit record.
 *
 * <p>A spec as parsed holds only the options given; {@link Methods#resolve} adds every default and types the
 * values (Integer, Long, Double, Boolean, String, {@code List<Integer>}, {@link Tensor}, nested
 * {@code MethodSpec}). Two specs are equal when their names and options are; numbers compare by value and
 * tensors by content.
 */
public final class MethodSpec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Map<String, Object> options;

    private MethodSpec(String name, Map<String, Object> options) {
        if (name == null || name.isBlank()) {
            throw new InvalidOptionException("a method spec needs a method name, e.g. 'ig' or 'ig(steps=32)'");
        }
        this.name = name;
        this.options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The method {@code name} with no options given (all defaults). */
    public static MethodSpec of(String name) {
        return new MethodSpec(name, Map.of());
    }

    /** The method {@code name} with the given options, in their order; {@code null} values are dropped. */
    public static MethodSpec of(String name, Map<String, ?> options) {
        Map<String, Object> copy = new LinkedHashMap<>();
        options.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        return new MethodSpec(name, copy);
    }

    /** Parses the text form: {@code name} or {@code name(key=value, ...)}. */
    public static MethodSpec parse(String text) {
        return MethodSpecText.parse(text);
    }

    public String name() {
        return name;
    }

    /** The options given (all of them after {@link Methods#resolve}), in a stable order. */
    public Map<String, Object> options() {
        return options;
    }

    /** This spec with one option set (or replaced). */
    public MethodSpec with(String option, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(options);
        copy.put(option, value);
        return of(name, copy);
    }

    /** The text form, {@code ig(steps=32, rule=gausslegendre)}; tensors appear by shape and content hash. */
    public String toText() {
        return MethodSpecText.format(this);
    }

    /** The JSON form: {@code {"method": "ig", "options": {...}}}; tensors inline as shape, dtype and data. */
    public ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("method", name);
        ObjectNode opts = node.putObject("options");
        options.forEach((k, v) -> opts.set(k, jsonValue(v)));
        return node;
    }

    /** The JSON form as a string. */
    public String toJsonString() {
        return toJson().toString();
    }

    /** Reads the JSON form (the inverse of {@link #toJson()}). */
    public static MethodSpec fromJson(JsonNode node) {
        if (node.isTextual()) {
            return parse(node.asText());
        }
        if (!node.isObject() || !node.hasNonNull("method")) {
            throw new InvalidOptionException("a method spec in JSON is {\"method\": \"ig\", \"options\": {...}} or a "
                    + "text spec such as \"ig(steps=32)\"; got " + node);
        }
        Map<String, Object> opts = new LinkedHashMap<>();
        JsonNode o = node.get("options");
        if (o != null && o.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                opts.put(e.getKey(), fromJsonValue(e.getValue()));
            }
        }
        return new MethodSpec(node.get("method").asText(), opts);
    }

    /** Reads the JSON form from a string. */
    public static MethodSpec fromJson(String json) {
        try {
            return fromJson(JSON.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidOptionException("not a JSON method spec: " + e.getOriginalMessage());
        }
    }

    /**
     * A short, stable key for caches: the text form, in which tensors are named by their content hash, so two
     * specs that differ in any option (a rule, a baseline) never share a key.
     */
    public String key() {
        return toText();
    }

    private static JsonNode jsonValue(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof MethodSpec s) {
            return s.toJson();
        }
        if (v instanceof Tensor t) {
            ObjectNode n = f.objectNode();
            ArrayNode shape = n.putArray("shape");
            for (int d : t.shape().dims()) {
                shape.add(d);
            }
            n.put("dtype", t.dtype().name().toLowerCase(java.util.Locale.ROOT));
            ArrayNode data = n.putArray("data");
            if (t.dtype() == DType.INT64) {
                for (long x : t.toLongArray()) {
                    data.add(x);
                }
            } else {
                for (float x : t.data()) {
                    data.add(x);
                }
            }
            return n;
        }
        if (v instanceof List<?> list) {
            ArrayNode a = f.arrayNode();
            list.forEach(x -> a.add(jsonValue(x)));
            return a;
        }
        if (v instanceof Integer i) {
            return f.numberNode(i);
        }
        if (v instanceof Long l) {
            return f.numberNode(l);
        }
        if (v instanceof Number n) {
            return f.numberNode(n.doubleValue());
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        return f.textNode(String.valueOf(v));
    }

    private static Object fromJsonValue(JsonNode n) {
        if (n.isObject() && n.has("method")) {
            return fromJson(n);
        }
        if (n.isObject() && n.has("shape")) {
            int[] dims = new int[n.get("shape").size()];
            for (int i = 0; i < dims.length; i++) {
                dims[i] = n.get("shape").get(i).asInt();
            }
            JsonNode data = n.get("data");
            if ("int64".equals(n.path("dtype").asText())) {
                long[] values = new long[data.size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = data.get(i).asLong();
                }
                return Tensor.ofInt64(values, Shape.of(dims));
            }
            float[] values = new float[data.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) data.get(i).asDouble();
            }
            return Tensor.of(values, Shape.of(dims));
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>();
            n.forEach(x -> list.add(fromJsonValue(x)));
            return list;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }

    /** The content hash of a tensor option, as it appears in the text form and the cache key. */
    static String tensorDigest(Tensor t) {
        return ContentHash.of(t).substring(0, 16);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MethodSpec other) || !name.equals(other.name)
                || !options.keySet().equals(other.options.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (!valueEquals(e.getValue(), other.options.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static boolean valueEquals(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Tensor x && b instanceof Tensor y) {
            return x.dtype() == y.dtype() && x.shape().equals(y.shape())
                    && (x.dtype() == DType.INT64 ? Arrays.equals(x.toLongArray(), y.toLongArray())
                            : Arrays.equals(x.data(), y.data()));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!valueEquals(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    @Override
    public int hashCode() {
        int h = name.hashCode();
        for (Map.Entry<String, Object> e : options.entrySet()) {
            Object v = e.getValue();
            int vh = v instanceof Number n ? Double.hashCode(n.doubleValue())
                    : v instanceof Tensor t ? t.shape().hashCode() : v instanceof List<?> l ? l.size() : v.hashCode();
            h = 31 * h + e.getKey().hashCode() * 17 + vh;
        }
        return h;
    }

    @Override
    public String toString() {
        return toText();
    }
}
