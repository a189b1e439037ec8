package io.attrib4j.engine.export;

import io.attrib4j.engine.InvalidOptionException;

/**
 * How {@link Heatmap} draws an attribution map. Defaults follow Captum's {@code visualize_image_attr}
 * where it has one: sign {@link Sign#ABSOLUTE}, outliers clipped at the 98th percentile
 * ({@code outlier_perc=2}), overlay alpha 0.5; the colour map is {@link Colormap#INFERNO} for
 * one-signed modes and {@link Colormap#RDBU} for {@link Sign#ALL}; small maps are upscaled to about
 * 256 pixels. Immutable.
 */
public final class HeatmapOptions {
    private static final HeatmapOptions DEFAULTS = builder().build();

    /** Which attributions are shown (Captum's {@code sign}). */
    public enum Sign {
        /** Only positive values, scaled to [0, 1]. */
        POSITIVE,
        /** Only negative values, by magnitude, scaled to [0, 1]. */
        NEGATIVE,
        /** Absolute values, scaled to [0, 1]. */
        ABSOLUTE,
        /** Signed values, scaled to [-1, 1], 0 at the middle of a diverging map. */
        ALL
    }

    private final Sign sign;
    private final Colormap colormap;
    private final double percentile;
    private final double alpha;
    private final int scale;

    private HeatmapOptions(Builder b) {
        this.sign = b.sign;
        this.colormap = b.colormap != null ? b.colormap : b.sign == Sign.ALL ? Colormap.RDBU : Colormap.INFERNO;
        this.percentile = b.percentile;
        this.alpha = b.alpha;
        this.scale = b.scale;
    }

    public static HeatmapOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Sign sign() {
        return sign;
    }

    public Colormap colormap() {
        return colormap;
    }

    /** Percentile of the shown magnitudes that maps to the end of the colour map; larger values clip. */
    public double percentile() {
        return percentile;
    }

    /** Opacity of the heatmap over the image, in [0, 1]. */
    public double alpha() {
        return alpha;
    }

    /** Pixels per attribution element in the output, for a map of {@code height x width}. */
    public int scaleFor(int height, int width) {
        return scale > 0 ? scale : Math.max(1, 256 / Math.max(height, width));
    }

    @Override
    public String toString() {
        return "HeatmapOptions{sign=" + sign + ", colormap=" + colormap + ", percentile=" + percentile + ", alpha="
                + alpha + ", scale=" + (scale > 0 ? scale : "auto") + "}";
    }

    /** Builder; validated in {@link #build()}. */
    public static final class Builder {
        private Sign sign = Sign.ABSOLUTE;
        private Colormap colormap;
        private double percentile = 98;
        private double alpha = 0.5;
        private int scale;

        private Builder() {}

        public Builder optSign(Sign sign) {
            this.sign = sign;
            return this;
        }

        /** The colour map; by default INFERNO, or RDBU for {@link Sign#ALL}. */
        public Builder optColormap(Colormap colormap) {
            this.colormap = colormap;
            return this;
        }

        /** Clip at this percentile of the magnitudes, in (0, 100]; 100 scales by the maximum. Default 98. */
        public Builder optPercentile(double percentile) {
            this.percentile = percentile;
            return this;
        }

        /** Heatmap opacity over the image, in [0, 1]. Default 0.5. */
        public Builder optAlpha(double alpha) {
            this.alpha = alpha;
            return this;
        }

        /** Output pixels per map element; 0 (default) picks {@code max(1, 256 / max(H, W))}. */
        public Builder optScale(int scale) {
            this.scale = scale;
            return this;
        }

        public HeatmapOptions build() {
            if (sign == null) {
                throw new InvalidOptionException("sign is null; choose POSITIVE, NEGATIVE, ABSOLUTE or ALL");
            }
            if (!(percentile > 0 && percentile <= 100)) {
                throw new InvalidOptionException("percentile " + percentile + " is outside (0, 100]; use e.g. 98");
            }
            if (!(alpha >= 0 && alpha <= 1)) {
                throw new InvalidOptionException("alpha " + alpha + " is outside [0, 1]; use e.g. 0.5");
            }
            if (scale < 0 || scale > 64) {
                throw new InvalidOptionException("scale " + scale + " is outside [0, 64]; use 0 for automatic");
            }
            return new HeatmapOptions(this);
        }
    }
}
