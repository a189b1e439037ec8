package io.attrib4j.engine.export;

import io.attrib4j.engine.InvalidOptionException;
import java.util.Arrays;
import java.util.Optional;

/**
 * How an image file becomes a model input: an optional resize, then {@code (rgb / 255 - mean) / std}
 * per channel. Defaults: no resize, mean 0, std 1 (values in [0, 1]). Immutable.
 */
public final class ImageOptions {
    private static final ImageOptions DEFAULTS = builder().build();

    private final int width;
    private final int height;
    private final float[] mean;
    private final float[] std;

    private ImageOptions(Builder b) {
        this.width = b.width;
        this.height = b.height;
        this.mean = b.mean.clone();
        this.std = b.std.clone();
    }

    /** No resize, no normalization. */
    public static ImageOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The target size as {@code {width, height}}, if the image is resized. */
    public Optional<int[]> resize() {
        return width > 0 ? Optional.of(new int[] {width, height}) : Optional.empty();
    }

    /** Per-channel mean (R, G, B) subtracted after scaling to [0, 1]. */
    public float[] mean() {
        return mean.clone();
    }

    /** Per-channel standard deviation (R, G, B) divided by after subtracting the mean. */
    public float[] std() {
        return std.clone();
    }

    /** {@code (v - mean[c]) / std[c]}. */
    float normalize(float v, int c) {
        return (v - mean[c]) / std[c];
    }

    /** {@code v * std[c] + mean[c]}: back to [0, 1] pixel scale. */
    float denormalize(float v, int c) {
        return v * std[c] + mean[c];
    }

    @Override
    public String toString() {
        return "ImageOptions{resize=" + (width > 0 ? width + "x" + height : "none") + ", mean=" + Arrays.toString(mean)
                + ", std=" + Arrays.toString(std) + "}";
    }

    /** Builder; {@code optX} for every option, validated in {@link #build()}. */
    public static final class Builder {
        private int width;
        private int height;
        private float[] mean = {0f, 0f, 0f};
        private float[] std = {1f, 1f, 1f};

        private Builder() {}

        /** Resize to {@code width x height} (bilinear) before conversion. */
        public Builder optResize(int width, int height) {
            this.width = width;
            this.height = height;
            return this;
        }

        /** Per-channel mean (R, G, B), e.g. ImageNet's {0.485, 0.456, 0.406}. */
        public Builder optMean(float[] mean) {
            this.mean = mean.clone();
            return this;
        }

        /** Per-channel standard deviation (R, G, B), e.g. ImageNet's {0.229, 0.224, 0.225}. */
        public Builder optStd(float[] std) {
            this.std = std.clone();
            return this;
        }

        public ImageOptions build() {
            if (width < 0 || height < 0 || (width == 0) != (height == 0)) {
                throw new InvalidOptionException("resize " + width + "x" + height
                        + " is invalid; give a positive width and height");
            }
            if (mean.length != 3 || std.length != 3) {
                throw new InvalidOptionException("mean and std need 3 values (R, G, B), got " + mean.length + " and "
                        + std.length);
            }
            for (int c = 0; c < 3; c++) {
                if (!Float.isFinite(mean[c]) || !(std[c] > 0) || !Float.isFinite(std[c])) {
                    throw new InvalidOptionException("mean " + Arrays.toString(mean) + " / std " + Arrays.toString(std)
                            + " is invalid; means must be finite and standard deviations positive");
                }
            }
            return new ImageOptions(this);
        }
    }
}
