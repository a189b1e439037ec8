package io.attrib4j.engine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The conversion between a spec and an options record, on a record of every supported component type: what
 * each method's descriptor does for it.
 */
class ToyMethodsTest {
    enum Mode implements SpecName {
        FAST("fast-mode"), SLOW("slow-mode");

        private final String name;

        Mode(String name) {
            this.name = name;
        }

        @Override
        public String specName() {
            return name;
        }
    }

    record Options(@Doc("how many") int count, long seed, double scale, boolean flag, String label, Mode mode,
            int[] window, Baseline baseline, MethodSpec inner) implements MethodOptions {
        static final Options DEFAULTS = new Options(3, MethodOptions.DEFAULT_SEED, 1.0, false, null, Mode.FAST, null,
                Baseline.zeros(), MethodSpec.of("saliency"));

        Options {
            if (count < 1) {
                throw new InvalidOptionException("count = " + count + "; use at least 1");
            }
        }
    }

    private static final MethodDescriptor<Options> TOY = MethodDescriptor.of("toy", "a toy", Options.DEFAULTS,
            (o, backend) -> new AttributionMethod() {
                @Override
                public String name() {
                    return "Toy";
                }

                @Override
                public Attribution attribute(ForwardModel model, Tensor input, Target target) {
                    throw new UnsupportedOperationException();
                }
            });

    @Test
    void defaultsFillWhatIsNotGivenAndTheSpecListsEveryOption() {
        MethodSpec resolved = TOY.spec(TOY.options(MethodSpec.parse("toy(count=5, mode=slow-mode, window=[2,2])")));
        assertEquals("toy(count=5, seed=42, scale=1.0, flag=false, mode=slow-mode, window=[2,2], baseline=zeros, "
                + "inner=saliency)", resolved.toText(), "unset label is left out; enums by their spec name");
        assertEquals(resolved, TOY.spec(TOY.options(resolved)), "resolving is idempotent");
        assertEquals(resolved, TOY.spec(TOY.options(MethodSpec.fromJson(resolved.toJsonString()))));
    }

    @Test
    void valuesAreConvertedToTheComponentTypes() {
        Options o = TOY.options(MethodSpec.parse("toy(count=7.0, seed=9, scale=2, flag=true, label=x, mode=SLOW, "
                + "window=3, baseline=0.5, inner=ig(steps=4))"));
        assertEquals(7, o.count());
        assertEquals(9L, o.seed());
        assertEquals(2.0, o.scale());
        assertTrue(o.flag());
        assertEquals("x", o.label());
        assertEquals(Mode.SLOW, o.mode());
        assertEquals(List.of(3), java.util.Arrays.stream(o.window()).boxed().toList());
        assertEquals("constant 0.5", o.baseline().describe());
        assertEquals(MethodSpec.parse("ig(steps=4)"), o.inner());
    }

    @Test
    void unknownOptionsWrongTypesAndInvalidValuesAreTypedErrors() {
        InvalidOptionException unknown = assertThrows(InvalidOptionException.class,
                () -> TOY.options(MethodSpec.parse("toy(cout=2)")));
        assertEquals("method 'toy' has no option 'cout'; its options are count, seed, scale, flag, label, mode, "
                + "window, baseline, inner", unknown.getMessage());
        assertEquals("option 'count' of method 'toy' takes int, not '2.5'", assertThrows(InvalidOptionException.class,
                () -> TOY.options(MethodSpec.parse("toy(count=2.5)"))).getMessage());
        assertEquals("option 'mode' of method 'toy' is one of fast-mode, slow-mode, not 'medium'",
                assertThrows(InvalidOptionException.class, () -> TOY.options(MethodSpec.parse("toy(mode=medium)")))
                        .getMessage());
        assertEquals("option 'flag' of method 'toy' takes boolean, not 'yes'", assertThrows(InvalidOptionException.class,
                () -> TOY.options(MethodSpec.parse("toy(flag=yes)"))).getMessage());
        assertEquals("count = 0; use at least 1", assertThrows(InvalidOptionException.class,
                () -> TOY.options(MethodSpec.parse("toy(count=0)"))).getMessage(), "the record's own check speaks");
    }

    @Test
    void docsComeFromTheRecord() {
        List<OptionDoc> docs = TOY.docs();
        assertEquals(new OptionDoc("count", "int", "3", "how many"), docs.get(0));
        assertEquals(new OptionDoc("label", "String", "-", ""), docs.get(4));
        assertEquals("one of fast-mode, slow-mode", docs.get(5).type());
        assertEquals("saliency", docs.get(8).defaultValue());
    }

    @Test
    void unknownMethodsListTheRegisteredOnes() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> Methods.describe("no-such-method"));
        assertTrue(e.getMessage().startsWith("unknown method 'no-such-method'; the methods are"), e.getMessage());
    }
}
