package io.attrib4j.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One table-driven test per axiom ({@link Axioms}) over a module's methods: a subclass lists, in static methods
 * named {@code linear}, {@code invariant}, {@code dummy} and {@code symmetric}, the {@code (name, method)} rows each
 * axiom applies to, and says its tolerance (with the reason) in {@link #tolerance()}. Each row prints its largest
 * violation, so the tolerance can be checked against the data.
 */
public abstract class AxiomSuite {
    protected static final Axioms.Net F = Axioms.net(1);
    protected static final Axioms.Net G = Axioms.net(2);
    protected static final Tensor X = Axioms.input(3, 3);
    protected static final Target T = Target.perExample(0, 1, 0);

    /** The largest violation accepted, for every axiom of the subclass. */
    protected abstract double tolerance();

    @ParameterizedTest(name = "{0}")
    @MethodSource("linear")
    void linearity(String name, AttributionMethod m) {
        check(name, "linearity", Axioms.linearity(m, F, G, 2, -0.5, X, T));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invariant")
    void implementationInvariance(String name, AttributionMethod m) {
        check(name, "implementation invariance", Axioms.implementationInvariance(m, F, X, T));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dummy")
    void dummyFeatureGetsZero(String name, AttributionMethod m) {
        check(name, "dummy", Axioms.dummy(m, F, Axioms.DUMMY, X, T));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("symmetric")
    void symmetricFeaturesGetEqualAttributions(String name, AttributionMethod m) {
        check(name, "symmetry", Axioms.symmetry(m, F, Axioms.SYMMETRIC_I, Axioms.SYMMETRIC_J, X, T));
    }

    private void check(String name, String axiom, double violation) {
        System.out.printf("axiom %s, %s: largest violation %.3g%n", axiom, name, violation);
        assertTrue(violation <= tolerance(), name + " breaks " + axiom + " by " + violation);
    }
}
