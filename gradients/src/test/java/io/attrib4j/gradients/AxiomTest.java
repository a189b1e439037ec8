package io.attrib4j.gradients;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.Tensor;
import io.attrib4j.testkit.AxiomSuite;
import io.attrib4j.testkit.Axioms;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The attribution axioms for every gradient method on input features, one table per axiom, on the tanh networks of
 * {@link Axioms} ({@code testkit}): linearity (attributions of {@code 2 F - 0.5 G}), implementation invariance (the
 * network against a functionally equal one with another depth, width and unit order), dummy (a feature the network
 * ignores gets 0) and symmetry (two features that enter alike, with equal values, get equal attributions).
 *
 * <p>Not every method has every axiom: |gradient| (Saliency's default) and the squared NoiseTunnel types are not
 * linear; noise drawn per feature (NoiseTunnel, GradientSHAP with a stdev) breaks symmetry; layer methods (Grad-CAM,
 * layer IG) attribute to a layer and are tested in their own classes. Those rows are absent from the tables.
 *
 * <p>Tolerance {@value #TOL}: each axiom is an identity in exact arithmetic, and the networks pass float32 tensors
 * between stages, so attributions of order 1 carry rounding of a few 1e-7: the largest violation seen over the
 * tables is 1.2e-6 (implementation invariance of DeepLiftShap, whose rescale multipliers divide small
 * differences), and the tolerance is about ten times that. It is the
 * same scale as the Captum references' own float32 agreement (IG's convergence deltas below 8e-6, DeepLIFT's
 * below 3e-8, in {@code oracle/}); a wrong weight, rule or sign moves attributions of order 1 by 1e-2 or more.
 */
class AxiomTest extends AxiomSuite {
    private static final double TOL = 1e-5;
    private static final Tensor BASELINES = Axioms.baselines();
    private static final Baseline ONE = Baseline.of(Axioms.baseline());

    private static Stream<Arguments> table(List<Object[]> rows) {
        return rows.stream().map(r -> Arguments.of(r[0], r[1]));
    }

    private static Object[] row(String name, AttributionMethod m) {
        return new Object[] {name, m};
    }

    private static IntegratedGradients ig() {
        return IntegratedGradients.builder().optBaseline(ONE).optSteps(64).build();
    }

    /** Methods linear in the model: every signed, noise-shared one. */
    static Stream<Arguments> linear() {
        return table(List.of(
                row("IntegratedGradients", ig()),
                row("IntegratedGradients riemann_middle", IntegratedGradients.builder().optBaseline(ONE)
                        .optRule(IntegrationRule.RIEMANN_MIDDLE).optSteps(20).build()),
                row("Saliency (signed)", Saliency.builder().optAbs(false).build()),
                row("InputXGradient", InputXGradient.withDefaults()),
                row("GradientShap", GradientShap.builder().optBaselines(BASELINES).optSamples(6).optSeed(4).build()),
                row("DeepLift", DeepLift.builder().optBaseline(ONE).build()),
                row("DeepLiftShap", DeepLiftShap.builder().setBaselines(BASELINES).build()),
                row("NoiseTunnel smoothgrad(IG)", NoiseTunnel.builder(ig()).optSamples(4).optStdev(0.1).optSeed(5).build())));
    }

    static Stream<Arguments> invariant() {
        return all();
    }

    static Stream<Arguments> dummy() {
        return all();
    }

    /** Every method: all see the model only through its outputs and input gradients. */
    static Stream<Arguments> all() {
        return Stream.concat(linear(), table(List.of(
                row("Saliency (abs)", Saliency.withDefaults()),
                row("NoiseTunnel smoothgrad_sq(Saliency)", NoiseTunnel.builder(Saliency.withDefaults())
                        .optType(NoiseTunnelType.SMOOTHGRAD_SQ).optSamples(4).optStdev(0.1).build()),
                row("NoiseTunnel vargrad(IxG)", NoiseTunnel.builder(InputXGradient.withDefaults())
                        .optType(NoiseTunnelType.VARGRAD).optSamples(4).optStdev(0.1).build()))));
    }

    /** Symmetry: methods without per-feature noise. */
    static Stream<Arguments> symmetric() {
        return table(List.of(
                row("IntegratedGradients", ig()),
                row("Saliency (signed)", Saliency.builder().optAbs(false).build()),
                row("Saliency (abs)", Saliency.withDefaults()),
                row("InputXGradient", InputXGradient.withDefaults()),
                row("DeepLift", DeepLift.builder().optBaseline(ONE).build()),
                row("DeepLiftShap", DeepLiftShap.builder().setBaselines(BASELINES).build()),
                row("GradientShap (stdev 0)", GradientShap.builder().optBaselines(BASELINES).optSamples(6).optStdev(0)
                        .optSeed(4).build())));
    }

    @Override
    protected double tolerance() {
        return TOL;
    }
}
