package io.attrib4j.perturbation;

import io.attrib4j.engine.Baseline;
import io.attrib4j.testkit.AxiomSuite;
import io.attrib4j.testkit.Axioms;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The attribution axioms for the gradient-free methods, one table per axiom, on the tanh networks of {@link Axioms}
 * ({@code testkit}; the gradient methods' tables are in the gradients module's {@code AxiomTest}).
 *
 * <p>Where they apply: every method here is linear in the model (each is a fixed linear map of model outputs; LIME's
 * and sampled KernelSHAP's weights depend on the inputs and the seed, not on the model) and implementation invariant
 * (it sees outputs only). A dummy feature gets exactly 0 from Occlusion with a one-element window, feature ablation
 * and exact (enumerated) KernelSHAP; wider windows mix in the neighbours, sampled KernelSHAP and LIME fit a
 * regression whose dummy coefficient is 0 only in expectation. Symmetry holds for the same three, whose
 * perturbations treat features alike; LIME's and sampled KernelSHAP's draws do not.
 *
 * <p>Tolerance {@value #TOL}: each axiom is an identity in exact arithmetic on float32 model outputs of order 1; the
 * largest violation seen is 1.8e-7 (linearity of feature ablation: differences of float32 outputs), and the
 * tolerance is about ten times that, the scale of the Captum references' float32 agreement (2e-8 to 1e-7 in
 * {@code CaptumParityTest}).
 */
class AxiomTest extends AxiomSuite {
    private static final double TOL = 2e-6;
    private static final Baseline B = Baseline.of(Axioms.baseline());

    /** Exact on every axiom: one-element occlusion, ablation, enumerated KernelSHAP (6 features: 62 coalitions). */
    static Stream<Arguments> exact() {
        return Stream.of(
                Arguments.of("Occlusion (window 1)", Occlusion.builder().setSlidingWindowShape(1).optBaseline(B).build()),
                Arguments.of("FeatureAblation", FeatureAblation.builder().optBaseline(B).build()),
                Arguments.of("KernelShap (enumerated)", KernelShap.builder().optBaseline(B).build()));
    }

    /** Linear and implementation invariant, not exact on dummy or symmetry. */
    static Stream<Arguments> all() {
        return Stream.concat(exact(), Stream.of(
                Arguments.of("Occlusion (window 3, stride 2)", Occlusion.builder().setSlidingWindowShape(3).optStrides(2)
                        .optBaseline(B).build()),
                Arguments.of("KernelShap (40 sampled)", KernelShap.builder().optBaseline(B).optSamples(40).optSeed(3)
                        .build()),
                Arguments.of("Lime", Lime.builder().optBaseline(B).optSamples(60).optSeed(3).build())));
    }

    static Stream<Arguments> linear() {
        return all();
    }

    static Stream<Arguments> invariant() {
        return all();
    }

    static Stream<Arguments> dummy() {
        return exact();
    }

    static Stream<Arguments> symmetric() {
        return exact();
    }

    @Override
    protected double tolerance() {
        return TOL;
    }
}
