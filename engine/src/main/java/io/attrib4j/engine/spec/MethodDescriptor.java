package io.attrib4j.engine.spec;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.export.Npy;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One registered method: its spec name, a one-line summary, its options record type with the defaults,
 * and how to build it from a record and a backend. Converting between a {@link MethodSpec} and the
 * options record is done here, once for every method, from the record's components: names, types, defaults
 * and {@link Doc} texts.
 *
 * @param <O> the options record
 */
public final class MethodDescriptor<O extends Record & MethodOptions> {
    private final String name;
    private final String summary;
    private final Class<O> optionsType;
    private final O defaults;
    private final BiFunction<O, Backend, AttributionMethod> factory;

    private MethodDescriptor(String name, String summary, Class<O> optionsType, O defaults,
            BiFunction<O, Backend, AttributionMethod> factory) {
        this.name = name;
        this.summary = summary;
        this.optionsType = optionsType;
        this.defaults = defaults;
        this.factory = factory;
    }

    /**
     * @param name the spec name ({@code ig})
     * @param summary one line for the help and the README
     * @param defaults the options record with every default (the record's {@code DEFAULTS})
     * @param factory builds the method from a record and a backend
     */
    @SuppressWarnings("unchecked")
    public static <O extends Record & MethodOptions> MethodDescriptor<O> of(String name, String summary, O defaults,
            BiFunction<O, Backend, AttributionMethod> factory) {
        return new MethodDescriptor<>(name, summary, (Class<O>) defaults.getClass(), defaults, factory);
    }

    public String name() {
        return name;
    }

    public String summary() {
        return summary;
    }

    public Class<O> optionsType() {
        return optionsType;
    }

    public O defaults() {
        return defaults;
    }

    /** The option names, in record order. */
    public List<String> optionNames() {
        return Arrays.stream(optionsType.getRecordComponents()).map(RecordComponent::getName).toList();
    }

    /** True when the method has an option called {@code option}. */
    public boolean takes(String option) {
        return optionNames().contains(option);
    }

    /** The method built from {@code spec}'s options (the rest at their defaults). */
    public AttributionMethod create(MethodSpec spec, Backend backend) {
        return factory.apply(options(spec), backend);
    }

    /** The options record {@code spec} describes; unknown options and ill-typed values are refused by name. */
    public O options(MethodSpec spec) {
        RecordComponent[] components = optionsType.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent c : components) {
            byName.put(c.getName(), c);
        }
        for (String key : spec.options().keySet()) {
            if (!byName.containsKey(key)) {
                throw new InvalidOptionException("method '" + name + "' has no option '" + key + "'; its options are "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
            }
        }
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            Object given = spec.options().get(c.getName());
            args[i] = given == null ? read(c, defaults) : convert(c, given);
        }
        try {
            Constructor<O> ctor = optionsType.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("options record " + optionsType.getName() + " cannot be built", e);
        }
    }

    /** The spec of an options record: every option, typed canonically, unset ones left out. */
    public MethodSpec spec(O options) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent c : optionsType.getRecordComponents()) {
            Object v = canonical(read(c, options));
            if (v != null) {
                map.put(c.getName(), v);
            }
        }
        return MethodSpec.of(name, map);
    }

    /** The options as documented for people, in record order. */
    public List<OptionDoc> docs() {
        List<OptionDoc> docs = new ArrayList<>();
        for (RecordComponent c : optionsType.getRecordComponents()) {
            Doc doc = c.getAnnotation(Doc.class);
            Object d = canonical(read(c, defaults));
            docs.add(new OptionDoc(c.getName(), typeName(c.getType()),
                    d == null ? "-" : MethodSpecText.format(MethodSpec.of("x", Map.of("v", d))).replaceAll("^x\\(v=|\\)$", ""),
                    doc == null ? "" : doc.value()));
        }
        return docs;
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            java.lang.reflect.Method accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A record value as a spec value. */
    static Object canonical(Object v) {
        if (v == null || v instanceof Integer || v instanceof Long || v instanceof Double || v instanceof Boolean
                || v instanceof String || v instanceof Tensor || v instanceof MethodSpec) {
            return v;
        }
        if (v instanceof Float f) {
            return (double) f;
        }
        if (v instanceof Enum<?> e) {
            return enumName(e);
        }
        if (v instanceof int[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof double[] a) {
            return Arrays.stream(a).boxed().toList();
        }
        if (v instanceof Baseline b) {
            return b.specValue();
        }
        throw new IllegalStateException("options of type " + v.getClass().getName() + " cannot be in a spec");
    }

    private Object convert(RecordComponent c, Object v) {
        Class<?> type = c.getType();
        try {
            if (type == int.class || type == Integer.class) {
                return Math.toIntExact(integral(v));
            }
            if (type == long.class || type == Long.class) {
                return integral(v);
            }
            if (type == double.class || type == Double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
            }
            if (type == boolean.class || type == Boolean.class) {
                if (v instanceof Boolean b) {
                    return b;
                }
                String s = v.toString();
                if (s.equals("true") || s.equals("false")) {
                    return Boolean.parseBoolean(s);
                }
                throw new IllegalArgumentException();
            }
            if (type == String.class) {
                return v.toString();
            }
            if (type.isEnum()) {
                return enumValue(c, type, v.toString());
            }
            if (type == int[].class) {
                return intArray(v);
            }
            if (type == double[].class) {
                return v instanceof List<?> list ? list.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray()
                        : v instanceof Number n ? new double[] {n.doubleValue()}
                        : Arrays.stream(v.toString().split(",")).mapToDouble(x -> Double.parseDouble(x.trim())).toArray();
            }
            if (type == Tensor.class) {
                return v instanceof Tensor t ? t : Npy.read(Path.of(v.toString()));
            }
            if (type == Baseline.class) {
                return baseline(v);
            }
            if (type == MethodSpec.class) {
                return v instanceof MethodSpec s ? s : MethodSpec.parse(v.toString());
            }
        } catch (IllegalArgumentException | ArithmeticException | ClassCastException e) {
            if (e instanceof InvalidOptionException i) {
                throw i;
            }
            throw new InvalidOptionException("option '" + c.getName() + "' of method '" + name + "' takes "
                    + typeName(type) + ", not '" + v + "'");
        }
        throw new IllegalStateException("options of type " + type.getName() + " cannot be in a spec");
    }

    private static long integral(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException();
            }
            return n instanceof Double || n instanceof Float ? (long) d : n.longValue();
        }
        return Long.parseLong(v.toString());
    }

    private static int[] intArray(Object v) {
        if (v instanceof List<?> list) {
            return list.stream().mapToInt(x -> Math.toIntExact(integral(x))).toArray();
        }
        if (v instanceof Number n) {
            return new int[] {Math.toIntExact(integral(n))};
        }
        return Arrays.stream(v.toString().split("[,x]")).mapToInt(s -> Integer.parseInt(s.trim())).toArray();
    }

    private static Baseline baseline(Object v) {
        if (v instanceof Baseline b) {
            return b;
        }
        if (v instanceof Tensor t) {
            return Baseline.of(t);
        }
        if (v instanceof Number n) {
            return n.doubleValue() == 0 ? Baseline.zeros() : Baseline.constant((float) n.doubleValue());
        }
        String s = v.toString();
        if (s.equals("zeros") || s.equals("zero")) {
            return Baseline.zeros();
        }
        return Baseline.of(Npy.read(Path.of(s)));
    }

    private Object enumValue(RecordComponent c, Class<?> type, String s) {
        String want = normalize(s);
        List<String> names = new ArrayList<>();
        for (Object e : type.getEnumConstants()) {
            String n = enumName((Enum<?>) e);
            names.add(n);
            if (normalize(n).equals(want) || normalize(((Enum<?>) e).name()).equals(want)) {
                return e;
            }
        }
        throw new InvalidOptionException("option '" + c.getName() + "' of method '" + name + "' is one of "
                + String.join(", ", names) + ", not '" + s + "'");
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    static String enumName(Enum<?> e) {
        return e instanceof SpecName n ? n.specName() : e.name().toLowerCase(Locale.ROOT);
    }

    private static String typeName(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + String.join(", ",
                    Arrays.stream(type.getEnumConstants()).map(e -> enumName((Enum<?>) e)).toList());
        }
        if (type == int[].class) {
            return "list of int";
        }
        if (type == double[].class) {
            return "list of double";
        }
        if (type == Baseline.class) {
            return "zeros, a number or a .npy file";
        }
        if (type == Tensor.class) {
            return ".npy file";
        }
        if (type == MethodSpec.class) {
            return "method spec";
        }
        return type == Integer.class ? "int" : type == Long.class ? "long" : type == Double.class ? "double"
                : type == Boolean.class ? "boolean" : type.getSimpleName();
    }
}
