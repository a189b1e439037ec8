package io.attrib4j.cli;

import io.attrib4j.engine.export.HeatmapOptions;
import java.util.Set;

/**
 * How the command line shows a method's values, by the method's spec name: which heatmap sign suits them,
 * whether they are one score per token (written as tokens.html) or a layer map resized to the input.
 */
final class MethodViews {
    private static final Set<String> ABSOLUTE = Set.of("saliency", "smoothgrad", "rollout", "grad-rollout");
    private static final Set<String> TEXT = Set.of("rollout", "grad-rollout", "ig-embeddings");
    private static final Set<String> ROLLOUTS = Set.of("rollout", "grad-rollout");
    private static final Set<String> LAYER_MAPS = Set.of("gradcam", "gradcam++", "hirescam");

    private MethodViews() {}

    /** The --upsample choice, read the same way by every command. */
    static io.attrib4j.gradients.Upsample upsample(String choice) {
        return switch (choice.toLowerCase(java.util.Locale.ROOT)) {
            case "nearest" -> io.attrib4j.gradients.Upsample.NEAREST;
            case "bilinear" -> io.attrib4j.gradients.Upsample.BILINEAR;
            default -> throw new io.attrib4j.engine.InvalidOptionException("--upsample " + choice
                    + " is not nearest or bilinear; nearest is Captum's default, bilinear is smoother");
        };
    }

    /** Absolute for methods whose values are magnitudes, signed otherwise. */
    static HeatmapOptions.Sign sign(String method) {
        return ABSOLUTE.contains(method) ? HeatmapOptions.Sign.ABSOLUTE : HeatmapOptions.Sign.ALL;
    }

    /** Methods on token ids whose values are one score per token. */
    static boolean text(String method) {
        return TEXT.contains(method);
    }

    /** Attention rollouts, which also write the whole map (rollout.npy). */
    static boolean rollout(String method) {
        return ROLLOUTS.contains(method);
    }

    /** Methods whose values are a layer map ([N, 1, h, w]) rather than one value per input element. */
    static boolean layerMap(String method) {
        return LAYER_MAPS.contains(method);
    }
}
