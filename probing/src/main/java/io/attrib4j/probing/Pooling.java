package io.attrib4j.probing;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;

/**
 * How a layer's activation {@code [n, ...]} becomes one feature row per example {@code [n, d]}:
 * <ul>
 *   <li>{@link #flatten()}: every value, {@code d = prod(...)} (the default);</li>
 *   <li>{@link #meanOverSpatial()}: channels-first {@code [n, c, s1, s2, ...]} averaged over the positions
 *       {@code s*}, {@code d = c} (CNN feature maps);</li>
 *   <li>{@link #meanOverTokens()}: {@code [n, t, d]} averaged over the tokens {@code t};</li>
 *   <li>{@link #token(int)}: {@code [n, t, d]} at one token position ({@code -1}: the last).</li>
 * </ul>
 * Rank-2 activations are already rows: every pooling returns them unchanged, except {@code token}.
 * Each pooling is linear, so pooling a layer gradient the same way gives, up to a positive factor, the
 * directional derivative along a direction spread evenly over the pooled positions (what {@link Tcav}
 * uses).
 *
 * @param kind the pooling
 * @param position the token position, for {@link Kind#TOKEN}
 */
public record Pooling(Kind kind, int position) {

    /** The kinds of pooling. */
    public enum Kind { FLATTEN, MEAN_SPATIAL, MEAN_TOKENS, TOKEN }

    public static Pooling flatten() {
        return new Pooling(Kind.FLATTEN, 0);
    }

    public static Pooling meanOverSpatial() {
        return new Pooling(Kind.MEAN_SPATIAL, 0);
    }

    public static Pooling meanOverTokens() {
        return new Pooling(Kind.MEAN_TOKENS, 0);
    }

    /** The activation at token {@code position}; negative counts from the end. */
    public static Pooling token(int position) {
        return new Pooling(Kind.TOKEN, position);
    }

    /** Parses {@code flatten}, {@code mean-spatial}, {@code mean-tokens} or {@code token:N}. */
    public static Pooling parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(java.util.Locale.ROOT);
        if (t.startsWith("token:")) {
            try {
                return token(Integer.parseInt(t.substring(6)));
            } catch (NumberFormatException e) {
                throw new InvalidOptionException("pooling '" + text + "' has no token position; write e.g. token:0");
            }
        }
        return switch (t) {
            case "flatten" -> flatten();
            case "mean-spatial" -> meanOverSpatial();
            case "mean-tokens" -> meanOverTokens();
            default -> throw new InvalidOptionException("unknown pooling '" + text
                    + "'; use flatten, mean-spatial, mean-tokens or token:N");
        };
    }

    /** The name {@link #parse} reads back; also part of the activation cache key. */
    public String describe() {
        return switch (kind) {
            case FLATTEN -> "flatten";
            case MEAN_SPATIAL -> "mean-spatial";
            case MEAN_TOKENS -> "mean-tokens";
            case TOKEN -> "token:" + position;
        };
    }

    /**
     * One row per example.
     *
     * @throws InvalidInputException when the activation's rank does not suit the pooling, or the token is out of range
     */
    public Tensor apply(Tensor activation, String layer) {
        int[] dims = activation.shape().dims();
        int n = dims[0];
        if (kind == Kind.FLATTEN || (dims.length == 2 && kind != Kind.TOKEN)) {
            return activation.reshape(io.attrib4j.engine.Shape.of(n, activation.shape().rowSize()));
        }
        if (kind == Kind.MEAN_SPATIAL) {
            int c = dims[1];
            int positions = activation.shape().rowSize() / c;
            return average(activation, n, c, positions, positions, 1);
        }
        if (dims.length != 3) {
            throw new InvalidInputException("layer '" + layer + "' gives activations of shape " + activation.shape()
                    + " but " + describe() + " pooling needs [examples, tokens, features]; use flatten or mean-spatial");
        }
        int t = dims[1];
        int d = dims[2];
        if (kind == Kind.MEAN_TOKENS) {
            return average(activation, n, d, t, 1, d);
        }
        int at = position < 0 ? t + position : position;
        if (at < 0 || at >= t) {
            throw new InvalidInputException("token position " + position + " is outside the " + t + " tokens of layer '"
                    + layer + "'; use 0.." + (t - 1) + " or -1 for the last");
        }
        float[] a = activation.data();
        float[] out = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, (i * t + at) * d, out, i * d, d);
        }
        return Tensor.of(out, n, d);
    }

    /**
     * {@code out[i, f] = mean_k a[i, f*featureStride + k*countStride]}: each example's block holds
     * {@code features × count} values.
     */
    private static Tensor average(Tensor activation, int n, int features, int count, int featureStride,
            int countStride) {
        float[] a = activation.data();
        int row = features * count;
        float[] out = new float[n * features];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < features; f++) {
                double s = 0;
                for (int k = 0; k < count; k++) {
                    s += a[i * row + f * featureStride + k * countStride];
                }
                out[i * features + f] = (float) (s / count);
            }
        }
        return Tensor.of(out, n, features);
    }
}
