package io.attrib4j.engine.spec;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.Backends;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of methods: every method module on the class path contributes its methods through
 * {@link MethodProvider} ({@link ServiceLoader}); a caller builds any of them from a {@link MethodSpec}.
 *
 * <pre>
 * AttributionMethod ig = Methods.create(MethodSpec.parse("ig(steps=32, rule=riemann_trapezoid)"));
 * </pre>
 */
public final class Methods {
    private static volatile Map<String, MethodDescriptor<?>> registry;

    private Methods() {}

    /** The method {@code spec} describes, with the default backend. */
    public static AttributionMethod create(MethodSpec spec) {
        return create(spec, Backends.get());
    }

    /** The method {@code text} (the spec's text form) describes, with the default backend. */
    public static AttributionMethod create(String text) {
        return create(MethodSpec.parse(text));
    }

    /** The method {@code spec} describes, with its arithmetic on {@code backend}. */
    public static AttributionMethod create(MethodSpec spec, Backend backend) {
        return describe(spec.name()).create(spec, backend);
    }

    /** {@code spec} with every option, defaults included, typed as the method reports it in provenance. */
    public static MethodSpec resolve(MethodSpec spec) {
        return resolved(describe(spec.name()), spec);
    }

    private static <O extends Record & MethodOptions> MethodSpec resolved(MethodDescriptor<O> d, MethodSpec spec) {
        return d.spec(d.options(spec));
    }

    /** The registered method names: by provider rank, then in each provider's order. */
    public static List<String> names() {
        return List.copyOf(all().keySet());
    }

    /** The registered methods. */
    public static List<MethodDescriptor<?>> descriptors() {
        return List.copyOf(all().values());
    }

    /** The descriptor of method {@code name}: its options, defaults and documentation. */
    public static MethodDescriptor<?> describe(String name) {
        MethodDescriptor<?> d = all().get(name);
        if (d == null) {
            throw new InvalidOptionException("unknown method '" + name + "'; the methods are "
                    + String.join(", ", all().keySet()));
        }
        return d;
    }

    /** True when a method of that name is registered. */
    public static boolean has(String name) {
        return all().containsKey(name);
    }

    private static Map<String, MethodDescriptor<?>> all() {
        Map<String, MethodDescriptor<?>> r = registry;
        if (r == null) {
            synchronized (Methods.class) {
                if (registry == null) {
                    Map<String, MethodDescriptor<?>> found = new LinkedHashMap<>();
                    List<MethodProvider> providers = new java.util.ArrayList<>();
                    ServiceLoader.load(MethodProvider.class, Methods.class.getClassLoader()).forEach(providers::add);
                    providers.sort(java.util.Comparator.comparingInt(MethodProvider::rank)
                            .thenComparing(p -> p.getClass().getName()));
                    for (MethodProvider p : providers) {
                        for (MethodDescriptor<?> d : p.methods()) {
                            if (found.put(d.name(), d) != null) {
                                throw new IllegalStateException("two modules register method '" + d.name() + "'");
                            }
                        }
                    }
                    registry = found;
                }
                r = registry;
            }
        }
        return r;
    }
}
