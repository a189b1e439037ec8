package io.attrib4j.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodProvider;
import io.attrib4j.engine.spec.MethodSpec;
import io.attrib4j.engine.spec.Methods;
import io.attrib4j.engine.spec.OptionDoc;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The checks every module's {@code XxxMethodsSpecTest} makes of its methods as values: a spec survives JSON
 * and text, the method built from a spec reports exactly that spec, the text form and the builder give the
 * same numbers bit for bit, and bad options are refused by name.
 */
public final class SpecChecks {
    private SpecChecks() {}

    /**
     * {@code spec} resolved survives JSON and text. In the text form a tensor option is named by its content
     * hash (the cache key), so a spec with tensors round-trips through the form people type, with paths:
     * {@code spec} itself.
     *
     * @return the resolved spec
     */
    public static MethodSpec assertRoundTrips(MethodSpec spec) {
        MethodSpec resolved = Methods.resolve(spec);
        MethodSpec fromJson = MethodSpec.fromJson(resolved.toJsonString());
        assertEquals(resolved, fromJson, "JSON keeps every option and its type");
        assertEquals(resolved, Methods.resolve(fromJson), "JSON, resolved");
        if (resolved.options().values().stream().anyMatch(v -> v instanceof Tensor)) {
            assertTrue(resolved.toText().contains("sha256:"), resolved.toText());
            assertEquals(resolved, Methods.resolve(MethodSpec.parse(spec.toText())), "paths in the text form");
        } else {
            assertEquals(resolved, Methods.resolve(MethodSpec.parse(resolved.toText())), "text");
        }
        return resolved;
    }

    /**
     * The method built from {@code spec} reports exactly the resolved spec, as its {@code spec()} and in the
     * provenance of an attribution, with its name and the spec's seed.
     *
     * @return that attribution
     */
    public static Attribution assertReportsSpec(MethodSpec spec, ForwardModel model, Tensor input, Target target) {
        MethodSpec resolved = Methods.resolve(spec);
        AttributionMethod method = Methods.create(spec);
        assertEquals(resolved, method.spec());
        Attribution a = method.attribute(model, input, target);
        assertEquals(resolved, a.provenance().spec());
        assertEquals(method.name(), a.provenance().method());
        Object seed = resolved.options().get("seed");
        assertEquals(seed == null ? null : ((Number) seed).longValue(), a.provenance().seed());
        return a;
    }

    /** The two methods have the same spec and give the same values and deltas, bit for bit. */
    public static void assertSameAttributions(AttributionMethod expected, AttributionMethod actual, ForwardModel model,
            Tensor input, Target target) {
        assertEquals(expected.spec(), actual.spec());
        Attribution a = expected.attribute(model, input, target);
        Attribution b = actual.attribute(model, input, target);
        assertEquals(a.values().shape(), b.values().shape());
        assertArrayEquals(a.values().data(), b.values().data());
        assertEquals(a.convergenceDelta().isPresent(), b.convergenceDelta().isPresent());
        a.convergenceDelta().ifPresent(d -> assertArrayEquals(d, b.convergenceDelta().orElseThrow()));
        assertTrue(a.values().maxAbs() > 0, "the case attributes something");
    }

    /** Building {@code spec} fails with an {@link InvalidOptionException} whose message holds every fragment. */
    public static InvalidOptionException assertRefused(String spec, String... fragments) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> Methods.create(spec));
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    /** An option {@code method} does not have is refused by name, listing every option it has. */
    public static void assertUnknownOptionListsTheValidOnes(String method, String unknown) {
        assertRefused(method + "(" + unknown + "=1)", Methods.describe(method).docs().stream()
                .map(OptionDoc::name).toList().toArray(new String[0]));
        assertRefused(method + "(" + unknown + "=1)", "no option '" + unknown + "'");
    }

    /**
     * {@code provider} offers exactly {@code names}, in that order, all registered through ServiceLoader, each with
     * a summary and every option with a meaning, and the test's table covers every one.
     */
    public static void assertProvidedAndDocumented(MethodProvider provider, List<String> names,
            Collection<String> covered) {
        List<MethodDescriptor<?>> methods = provider.methods();
        assertEquals(names, methods.stream().map(MethodDescriptor::name).toList());
        assertTrue(Methods.names().containsAll(names), "registered through ServiceLoader: " + Methods.names());
        assertEquals(new TreeSet<>(names), new TreeSet<>(covered), "the table has a case for every method");
        for (MethodDescriptor<?> d : methods) {
            assertFalse(d.summary().isBlank(), d.name());
            for (OptionDoc o : d.docs()) {
                assertFalse(o.meaning().isBlank(), d.name() + "." + o.name());
            }
        }
    }
}
