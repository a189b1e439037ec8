package io.attrib4j.recourse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.attrib4j.engine.InvalidOptionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a counterfactual may change, as an immutable value: immutable features, value ranges, monotone
 * directions (a feature may only increase, or only decrease, from the row's value), integer and step-valued
 * features (values {@code base + k * step}, base the range's minimum or 0), and categorical one-hot groups
 * (the group's columns stay 0/1 with exactly one 1).
 *
 * <p>A counterfactual {@code c} of row {@code x} satisfies the constraints when, for every feature j:
 * <pre>
 * immutable:          c_j = x_j
 * range [lo, hi]:     lo &lt;= c_j &lt;= hi              (an unchanged c_j = x_j is always allowed)
 * increase/decrease:  c_j &gt;= x_j  /  c_j &lt;= x_j
 * step s (integer 1): c_j = x_j or c_j = base + k s for an integer k
 * one-hot group G:    c_G in {0,1}^|G| with sum 1, or c_G = x_G
 * </pre>
 *
 * <p>Also readable from YAML ({@link #fromYaml(String, List)}); features are named by index or name:
 * <pre>
 * immutable: [0, "mean texture"]
 * ranges: {"worst area": [0.0, 2.5]}
 * increase: [3]
 * decrease: ["worst radius"]
 * integer: [7]
 * steps: {"mean area": 0.5}
 * oneHot: [[10, 11, 12]]
 * </pre>
 */
public final class Constraints {
    /** Which way a feature may move from the row's value. */
    public enum Direction { ANY, INCREASE, DECREASE }

    /** One feature's rules; {@code step} 0 means continuous. */
    record Rule(boolean immutable, double min, double max, Direction direction, double step) {
        static final Rule FREE = new Rule(false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Direction.ANY, 0);
    }

    private static final Constraints NONE = new Constraints(new TreeMap<>(), List.of());

    private final Map<Integer, Rule> rules;
    private final List<List<Integer>> oneHotGroups;

    private Constraints(Map<Integer, Rule> rules, List<List<Integer>> oneHotGroups) {
        this.rules = Collections.unmodifiableMap(new TreeMap<>(rules));
        this.oneHotGroups = List.copyOf(oneHotGroups);
    }

    /** No constraint: every feature may take any value. */
    public static Constraints none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    Rule rule(int feature) {
        return rules.getOrDefault(feature, Rule.FREE);
    }

    /**
     * These constraints with more immutable features, given by index ("3") or name.
     *
     * @throws InvalidOptionException for an unknown name
     */
    public Constraints withImmutable(List<String> features, List<String> names) {
        Map<Integer, Rule> r = new TreeMap<>(rules);
        for (String f : features) {
            int j = index(f, names);
            Rule old = rule(j);
            r.put(j, new Rule(true, old.min(), old.max(), old.direction(), old.step()));
        }
        return new Constraints(r, oneHotGroups);
    }

    /** The one-hot groups, each a list of column indices. */
    public List<List<Integer>> oneHotGroups() {
        return oneHotGroups;
    }

    /** Whether feature {@code j} is immutable. */
    public boolean isImmutable(int j) {
        return rule(j).immutable();
    }

    /** The highest feature index any constraint names, or -1. */
    int maxFeature() {
        int m = rules.isEmpty() ? -1 : Collections.max(rules.keySet());
        for (List<Integer> g : oneHotGroups) {
            m = Math.max(m, Collections.max(g));
        }
        return m;
    }

    /**
     * Every way {@code cf} breaks these constraints as a counterfactual of {@code row}, in words; empty when it
     * breaks none. Tests and callers check results with it; the search never returns a row it rejects.
     */
    public List<String> violations(float[] row, float[] cf) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Integer, Rule> e : rules.entrySet()) {
            int j = e.getKey();
            Rule r = e.getValue();
            float x = row[j];
            float c = cf[j];
            if (c == x) {
                continue;
            }
            if (r.immutable()) {
                out.add("feature " + j + " is immutable but changed from " + x + " to " + c);
            }
            if (c < r.min() || c > r.max()) {
                out.add("feature " + j + " = " + c + " is outside [" + r.min() + ", " + r.max() + "]");
            }
            if (r.direction() == Direction.INCREASE && c < x || r.direction() == Direction.DECREASE && c > x) {
                out.add("feature " + j + " may only " + r.direction().name().toLowerCase(java.util.Locale.ROOT)
                        + " but went from " + x + " to " + c);
            }
            if (r.step() > 0) {
                double k = (c - base(r)) / r.step();
                if (Math.abs(k - Math.rint(k)) > 1e-3) {
                    out.add("feature " + j + " = " + c + " is not on its grid of step " + r.step());
                }
            }
        }
        for (List<Integer> g : oneHotGroups) {
            boolean same = true;
            int ones = 0;
            boolean binary = true;
            for (int j : g) {
                same &= cf[j] == row[j];
                ones += cf[j] == 1f ? 1 : 0;
                binary &= cf[j] == 0f || cf[j] == 1f;
            }
            if (!same && (!binary || ones != 1)) {
                out.add("one-hot group " + g + " is not one-hot: " + groupValues(cf, g));
            }
        }
        return out;
    }

    private static String groupValues(float[] v, List<Integer> g) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < g.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(v[g.get(i)]);
        }
        return sb.append(']').toString();
    }

    /** The grid origin of a step-valued feature: its range's minimum, or 0. */
    static double base(Rule r) {
        return Double.isFinite(r.min()) ? r.min() : 0;
    }

    /**
     * Constraints from YAML text (the format in the class comment).
     *
     * @param names the feature names, to resolve features given by name; may be {@code null} when all are
     *     given by index
     * @throws InvalidOptionException for unreadable YAML, an unknown key or feature, or a bad value
     */
    public static Constraints fromYaml(String yaml, List<String> names) {
        Map<String, Object> doc;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = new ObjectMapper(new YAMLFactory()).readValue(yaml, Map.class);
            doc = m == null ? Map.of() : m;
        } catch (IOException e) {
            throw new InvalidOptionException("cannot read the constraints YAML: " + e.getMessage()
                    + "; see Constraints' documentation for the format", e);
        }
        Builder b = builder();
        for (Map.Entry<String, Object> e : doc.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "immutable" -> b.immutable(indices(v, names, e.getKey()));
                case "increase" -> {
                    for (int j : indices(v, names, e.getKey())) {
                        b.direction(j, Direction.INCREASE);
                    }
                }
                case "decrease" -> {
                    for (int j : indices(v, names, e.getKey())) {
                        b.direction(j, Direction.DECREASE);
                    }
                }
                case "integer" -> {
                    for (int j : indices(v, names, e.getKey())) {
                        b.integer(j);
                    }
                }
                case "ranges" -> {
                    for (Map.Entry<?, ?> r : map(v, "ranges").entrySet()) {
                        List<?> lh = list(r.getValue(), "ranges." + r.getKey());
                        if (lh.size() != 2) {
                            throw new InvalidOptionException("ranges." + r.getKey() + " needs [min, max], got " + lh);
                        }
                        b.range(index(r.getKey(), names), number(lh.get(0)), number(lh.get(1)));
                    }
                }
                case "steps" -> {
                    for (Map.Entry<?, ?> s : map(v, "steps").entrySet()) {
                        b.step(index(s.getKey(), names), number(s.getValue()));
                    }
                }
                case "oneHot" -> {
                    for (Object g : list(v, "oneHot")) {
                        b.oneHot(indices(g, names, "oneHot"));
                    }
                }
                default -> throw new InvalidOptionException("unknown constraints key '" + e.getKey()
                        + "'; use immutable, ranges, increase, decrease, integer, steps, oneHot");
            }
        }
        return b.build();
    }

    /** {@link #fromYaml(String, List)} from a file. */
    public static Constraints fromYaml(Path file, List<String> names) {
        try {
            return fromYaml(Files.readString(file), names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read constraints file " + file, e);
        }
    }

    private static Map<?, ?> map(Object v, String key) {
        if (v instanceof Map<?, ?> m) {
            return m;
        }
        throw new InvalidOptionException(key + " must be a mapping from feature to value, got " + v);
    }

    private static List<?> list(Object v, String key) {
        if (v instanceof List<?> l) {
            return l;
        }
        throw new InvalidOptionException(key + " must be a list, got " + v);
    }

    private static double number(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new InvalidOptionException("expected a number, got '" + v + "'");
    }

    private static int[] indices(Object v, List<String> names, String key) {
        List<?> l = list(v, key);
        int[] out = new int[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = index(l.get(i), names);
        }
        return out;
    }

    /** A feature given by index or name. */
    static int index(Object f, List<String> names) {
        if (f instanceof Number n) {
            return n.intValue();
        }
        String s = String.valueOf(f).trim();
        if (s.matches("\\d+")) {
            return Integer.parseInt(s);
        }
        int i = names == null ? -1 : names.indexOf(s);
        if (i < 0) {
            throw new InvalidOptionException("unknown feature '" + s + "'"
                    + (names == null ? "; give features by index (no names are known)" : "; known: " + names));
        }
        return i;
    }

    @Override
    public String toString() {
        Map<String, Object> m = new LinkedHashMap<>();
        rules.forEach((j, r) -> m.put(String.valueOf(j), r));
        if (!oneHotGroups.isEmpty()) {
            m.put("oneHot", oneHotGroups);
        }
        return "Constraints" + m;
    }

    /** Collects rules; {@link #build()} checks that they agree. */
    public static final class Builder {
        private final Map<Integer, Rule> rules = new TreeMap<>();
        private final List<List<Integer>> groups = new ArrayList<>();

        private Builder() {}

        private Rule get(int j) {
            if (j < 0) {
                throw new InvalidOptionException("feature index " + j + " is negative");
            }
            return rules.getOrDefault(j, Rule.FREE);
        }

        /** These features keep the row's value. */
        public Builder immutable(int... features) {
            for (int j : features) {
                Rule r = get(j);
                rules.put(j, new Rule(true, r.min(), r.max(), r.direction(), r.step()));
            }
            return this;
        }

        /** A changed value must lie in {@code [min, max]}. */
        public Builder range(int feature, double min, double max) {
            if (!(min <= max)) {
                throw new InvalidOptionException("range of feature " + feature + " is [" + min + ", " + max
                        + "]; give min <= max");
            }
            Rule r = get(feature);
            rules.put(feature, new Rule(r.immutable(), min, max, r.direction(), r.step()));
            return this;
        }

        /** The feature may only move this way from the row's value. */
        public Builder direction(int feature, Direction direction) {
            Rule r = get(feature);
            rules.put(feature, new Rule(r.immutable(), r.min(), r.max(), direction, r.step()));
            return this;
        }

        /** A changed value must be a whole number. */
        public Builder integer(int feature) {
            return step(feature, 1);
        }

        /** A changed value must be {@code base + k * step} (base: the range's minimum, or 0). */
        public Builder step(int feature, double step) {
            if (!(step > 0) || !Double.isFinite(step)) {
                throw new InvalidOptionException("step of feature " + feature + " is " + step + "; give a positive step");
            }
            Rule r = get(feature);
            rules.put(feature, new Rule(r.immutable(), r.min(), r.max(), r.direction(), step));
            return this;
        }

        /** These columns one-hot encode one categorical feature. */
        public Builder oneHot(int... columns) {
            if (columns.length < 2) {
                throw new InvalidOptionException("a one-hot group needs at least two columns, got "
                        + java.util.Arrays.toString(columns));
            }
            List<Integer> g = new ArrayList<>();
            for (int c : columns) {
                get(c);
                g.add(c);
            }
            groups.add(List.copyOf(g));
            return this;
        }

        /**
         * @throws InvalidOptionException when a column is in two one-hot groups, or a one-hot column also has a
         *     range, direction or step
         */
        public Constraints build() {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (List<Integer> g : groups) {
                for (int c : g) {
                    if (!seen.add(c)) {
                        throw new InvalidOptionException("column " + c + " is in two one-hot groups; each column "
                                + "belongs to at most one categorical feature");
                    }
                    Rule r = rules.getOrDefault(c, Rule.FREE);
                    if (r.step() > 0 || r.direction() != Direction.ANY || Double.isFinite(r.min())
                            || Double.isFinite(r.max())) {
                        throw new InvalidOptionException("one-hot column " + c + " also has a range, direction or "
                                + "step; a one-hot column can only be immutable (which fixes its whole group)");
                    }
                }
            }
            return new Constraints(rules, groups);
        }
    }
}
