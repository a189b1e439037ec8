package io.attrib4j.gradients;

import io.attrib4j.engine.spec.SpecName;

/**
 * How {@link NoiseTunnel} combines the attributions {@code A_{i,j}} of the {@code n} noisy copies of
 * example {@code i} (Captum's {@code nt_type}).
 */
public enum NoiseTunnelType implements SpecName {
    /** SmoothGrad: the mean, {@code (sum_j A_{i,j}) / n} (Smilkov et al. 2017). */
    SMOOTHGRAD("smoothgrad"),
    /** The mean of squares, {@code (sum_j A_{i,j}^2) / n} (not the square of the mean). */
    SMOOTHGRAD_SQ("smoothgrad_sq"),
    /** VarGrad: the variance, {@code smoothgrad_sq - smoothgrad^2} (Adebayo et al. 2018). */
    VARGRAD("vargrad");

    private final String captumName;

    NoiseTunnelType(String captumName) {
        this.captumName = captumName;
    }

    /** The name Captum uses for this type ("smoothgrad", "smoothgrad_sq", "vargrad"). */
    public String captumName() {
        return captumName;
    }

    /** In a spec, Captum's name. */
    @Override
    public String specName() {
        return captumName;
    }
}
