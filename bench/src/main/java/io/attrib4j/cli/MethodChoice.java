package io.attrib4j.cli;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.Baseline;
import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.export.HeatmapOptions;
import io.attrib4j.gradients.InputXGradient;
import io.attrib4j.gradients.IntegratedGradients;
import io.attrib4j.gradients.IntegrationRule;
import io.attrib4j.gradients.Saliency;

/** The methods the command line offers, each with the heatmap sign that suits its values. */
enum MethodChoice {
    /** Integrated Gradients: signed, complete (has a convergence delta). */
    IG(HeatmapOptions.Sign.ALL),
    /** Saliency: absolute gradients (Captum's default). */
    SALIENCY(HeatmapOptions.Sign.ABSOLUTE),
    /** Input times gradient: signed. */
    IXG(HeatmapOptions.Sign.ALL);

    private final HeatmapOptions.Sign sign;

    MethodChoice(HeatmapOptions.Sign sign) {
        this.sign = sign;
    }

    HeatmapOptions.Sign sign() {
        return sign;
    }

    /**
     * The method with the given settings; {@code null} settings keep the method's (Captum's) defaults.
     * Only IG takes steps, rule, baseline and internal batch size; callers reject them for the others.
     */
    AttributionMethod create(Integer steps, IntegrationRule rule, Baseline baseline, Integer internalBatchSize,
            Backend backend) {
        switch (this) {
            case IG: {
                IntegratedGradients.Builder b = IntegratedGradients.builder();
                if (steps != null) {
                    b.optSteps(steps);
                }
                if (rule != null) {
                    b.optRule(rule);
                }
                if (baseline != null) {
                    b.optBaseline(baseline);
                }
                if (internalBatchSize != null) {
                    b.optInternalBatchSize(internalBatchSize);
                }
                if (backend != null) {
                    b.optBackend(backend);
                }
                return b.build();
            }
            case SALIENCY: {
                Saliency.Builder b = Saliency.builder();
                if (backend != null) {
                    b.optBackend(backend);
                }
                return b.build();
            }
            default: {
                InputXGradient.Builder b = InputXGradient.builder();
                if (backend != null) {
                    b.optBackend(backend);
                }
                return b.build();
            }
        }
    }
}
