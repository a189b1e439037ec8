package io.attrib4j.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text and JSON forms of a method spec: what people type, what configs and audit records hold. */
class MethodSpecTest {

    @Test
    void aBareNameIsASpecWithNoOptions() {
        MethodSpec s = MethodSpec.parse("ig");
        assertEquals("ig", s.name());
        assertEquals(Map.of(), s.options());
        assertEquals("ig", s.toText());
        assertEquals(s, MethodSpec.parse(" ig ( ) "));
    }

    @Test
    void optionsAreTypedByTheirText() {
        MethodSpec s = MethodSpec.parse("ig(steps=32, rule=riemann_trapezoid, stdevs=0.1, relu=true, window=[3,4,4], "
                + "baseline='my file.npy', small=1e-5)");
        assertEquals(32L, s.options().get("steps"));
        assertEquals("riemann_trapezoid", s.options().get("rule"));
        assertEquals(0.1, s.options().get("stdevs"));
        assertEquals(true, s.options().get("relu"));
        assertEquals(List.of(3L, 4L, 4L), s.options().get("window"));
        assertEquals("my file.npy", s.options().get("baseline"));
        assertEquals(1e-5, s.options().get("small"));
        assertEquals(List.of("steps", "rule", "stdevs", "relu", "window", "baseline", "small"),
                List.copyOf(s.options().keySet()), "the order given is kept");
    }

    @Test
    void methodsNestAsSpecs() {
        MethodSpec s = MethodSpec.parse("smoothgrad(base=ig(steps=8, rule=riemann_left), samples=10)");
        MethodSpec base = (MethodSpec) s.options().get("base");
        assertEquals("ig", base.name());
        assertEquals(8L, base.options().get("steps"));
        assertEquals(10L, s.options().get("samples"));
        assertEquals("smoothgrad(base=ig(steps=8, rule=riemann_left), samples=10)", s.toText());
    }

    @Test
    void textAndJsonRoundTrip() {
        Tensor t = Tensor.of(new float[] {1f, -2.5f, 3f, 0f}, 2, 2);
        MethodSpec s = MethodSpec.of("gradshap", Map.of("samples", 5, "baselines", t, "stdevs", 0.25))
                .with("base", MethodSpec.parse("ig(steps=8)")).with("path", "a b/c.npy").with("window", List.of(1, 2));
        MethodSpec json = MethodSpec.fromJson(s.toJsonString());
        assertEquals(s, json);
        assertEquals(s.toJsonString(), json.toJsonString());
        MethodSpec plain = MethodSpec.parse("ig(steps=8, rule=gausslegendre, path='x y.npy', on=false, w=[1,2])");
        assertEquals(plain, MethodSpec.parse(plain.toText()));
        assertEquals(plain, MethodSpec.fromJson(plain.toJson()));
        assertEquals(plain, MethodSpec.fromJson("\"" + plain.toText().replace("'", "\\u0027") + "\""),
                "JSON may hold the text form");
    }

    @Test
    void numbersCompareByValueAndTensorsByContent() {
        assertEquals(MethodSpec.parse("ig(steps=8)"), MethodSpec.of("ig", Map.of("steps", 8)));
        assertEquals(MethodSpec.parse("ig(steps=8)").hashCode(), MethodSpec.of("ig", Map.of("steps", 8.0)).hashCode());
        Tensor a = Tensor.of(new float[] {1f, 2f}, 1, 2);
        Tensor b = Tensor.of(new float[] {1f, 2.0001f}, 1, 2);
        assertEquals(MethodSpec.of("ig", Map.of("baseline", a)), MethodSpec.of("ig", Map.of("baseline",
                Tensor.of(new float[] {1f, 2f}, 1, 2))));
        assertNotEquals(MethodSpec.of("ig", Map.of("baseline", a)), MethodSpec.of("ig", Map.of("baseline", b)));
        assertNotEquals(MethodSpec.of("ig", Map.of("baseline", a)).key(), MethodSpec.of("ig", Map.of("baseline", b)).key(),
                "the cache key names a tensor by its content");
        assertNotEquals(MethodSpec.parse("ig(rule=riemann_left)").key(), MethodSpec.parse("ig(rule=riemann_right)").key());
    }

    @Test
    void badTextSaysWhereAndShowsTheForm() {
        for (String bad : new String[] {"", "ig(", "ig(steps)", "ig(steps=8", "ig(steps=8,,)", "ig) ", "ig(a=1, a=2)",
                "ig(p='open)"}) {
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> MethodSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("ig(steps=32") || e.getMessage().contains("given twice")
                    || e.getMessage().contains("method name"), e.getMessage());
        }
        InvalidOptionException json = assertThrows(InvalidOptionException.class, () -> MethodSpec.fromJson("{\"x\": 1}"));
        assertTrue(json.getMessage().contains("\"method\""), json.getMessage());
    }
}
