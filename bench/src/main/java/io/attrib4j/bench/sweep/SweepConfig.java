package io.attrib4j.bench.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.Methods;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep's configuration, read from YAML ({@code .yaml}/{@code .yml}) or JSON:
 * <pre>
 * models: [patch]                 # "patch", "resnet18", or a TorchScript .pt path
 * dataset: "patch:8"              # "patch:N", an .npy batch, or a directory of images
 * deletionSteps: 10               # points of the deletion/insertion curves (optional, default 10)
 * methods:
 *   - name: ig
 *     grid: {steps: [8, 16, 50], rule: [gausslegendre, riemann_trapezoid]}
 *   - name: saliency
 * </pre>
 * Each grid value is one value or a list; a method runs once per combination.
 *
 * @param models model names
 * @param dataset the dataset spec
 * @param deletionSteps chunks of the deletion and insertion curves
 * @param methods method names and their parameter grids
 */
public record SweepConfig(List<String> models, String dataset, int deletionSteps, List<MethodGrid> methods) {

    /** A method and the values each of its parameters takes. */
    public record MethodGrid(String name, Map<String, List<Object>> grid) {
        /** Every combination of the grid, in key order. */
        public List<Map<String, Object>> settings() {
            List<Map<String, Object>> out = new ArrayList<>();
            out.add(new LinkedHashMap<>());
            for (Map.Entry<String, List<Object>> e : grid.entrySet()) {
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> partial : out) {
                    for (Object v : e.getValue()) {
                        Map<String, Object> m = new LinkedHashMap<>(partial);
                        m.put(e.getKey(), v);
                        next.add(m);
                    }
                }
                out = next;
            }
            return out;
        }
    }

    private static final Set<String> TOP_KEYS = Set.of("models", "dataset", "deletionSteps", "methods");

    /** Reads and checks a config file. */
    public static SweepConfig read(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        if (!yaml && !name.endsWith(".json")) {
            throw new InvalidOptionException("sweep config " + file + " must end in .yaml, .yml or .json");
        }
        if (!Files.isRegularFile(file)) {
            throw new InvalidOptionException("sweep config " + file + " does not exist; give the path of a .yaml or "
                    + ".json file (see bench/sweeps/demo.yaml)");
        }
        try {
            return parse(Files.readString(file), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read sweep config " + file, e);
        }
    }

    /** Parses config text. */
    public static SweepConfig parse(String text, boolean yaml) {
        JsonNode root;
        try {
            root = new ObjectMapper(yaml ? new YAMLFactory() : null).readTree(text);
        } catch (JsonProcessingException e) {
            throw new InvalidOptionException("sweep config is not valid " + (yaml ? "YAML" : "JSON") + ": "
                    + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidOptionException("sweep config must be a mapping with keys " + TOP_KEYS);
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!TOP_KEYS.contains(key)) {
                throw new InvalidOptionException("unknown key '" + key + "' in sweep config; the keys are " + TOP_KEYS);
            }
        }
        List<String> models = new ArrayList<>();
        for (JsonNode m : list(root, "models")) {
            models.add(m.asText());
        }
        JsonNode dataset = root.get("dataset");
        if (dataset == null || !dataset.isTextual()) {
            throw new InvalidOptionException("sweep config needs 'dataset': \"patch:N\", an .npy file or a directory "
                    + "of images");
        }
        int deletionSteps = root.path("deletionSteps").asInt(10);
        if (deletionSteps < 1) {
            throw new InvalidOptionException("deletionSteps must be at least 1, got " + root.get("deletionSteps"));
        }
        List<MethodGrid> methods = new ArrayList<>();
        for (JsonNode m : list(root, "methods")) {
            JsonNode nameNode = m.get("name");
            if (nameNode == null || !nameNode.isTextual()) {
                throw new InvalidOptionException("each entry of 'methods' needs a 'name' (one of "
                        + Methods.names() + "), got " + m);
            }
            MethodDescriptor<?> method = Methods.describe(nameNode.asText());
            List<String> options = method.optionNames();
            Map<String, List<Object>> grid = new LinkedHashMap<>();
            JsonNode g = m.path("grid");
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!options.contains(e.getKey())) {
                    throw new InvalidOptionException("method " + method.name() + " has no option '" + e.getKey()
                            + "' to sweep; its options are " + options);
                }
                List<Object> values = new ArrayList<>();
                for (JsonNode v : e.getValue().isArray() ? e.getValue() : List.of(e.getValue())) {
                    values.add(v.isNumber() ? v.numberValue() : v.asText());
                }
                if (values.isEmpty()) {
                    throw new InvalidOptionException("grid '" + e.getKey() + "' of method " + method.name()
                            + " is an empty list; give at least one value");
                }
                grid.put(e.getKey(), values);
            }
            methods.add(new MethodGrid(method.name(), grid));
        }
        return new SweepConfig(models, dataset.asText(), deletionSteps, methods);
    }

    private static JsonNode list(JsonNode root, String key) {
        JsonNode n = root.get(key);
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw new InvalidOptionException("sweep config needs '" + key + "' as a non-empty list");
        }
        return n;
    }
}
