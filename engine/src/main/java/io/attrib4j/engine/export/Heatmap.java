package io.attrib4j.engine.export;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.HeatmapOptions.Sign;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Image heatmaps of attribution maps, after Captum's {@code visualize_image_attr(method="blended_heat_map")}.
 *
 * <p>Steps: sum the attribution over channels; keep the part the {@link Sign} asks for (positive part,
 * magnitude of the negative part, absolute value, or the signed value); divide by the
 * {@link HeatmapOptions#percentile() p}-th percentile {@code q} of the kept magnitudes and clip, so
 * {@code v = clip(a / q, -1, 1)}: the top {@code 100 - p} percent saturate at the end of the colour
 * map. One-signed modes colour {@code t = v} in [0, 1]; {@link Sign#ALL} colours {@code t = (v + 1) / 2}
 * so that 0 sits at the middle of a diverging map. The colour is blended over the grey image:
 * {@code out = alpha * colour + (1 - alpha) * grey}.
 *
 * <p>Captum picks its threshold {@code q} as the value where the cumulative sum of the sorted magnitudes
 * passes {@code p} percent of the total; this class uses the plain percentile (nearest rank), so that
 * exactly the top {@code 100 - p} percent of pixels saturate whatever the distribution.
 */
public final class Heatmap {
    /** Width of the colour-bar panel {@link #render} adds to the right of the map. */
    public static final int COLORBAR_WIDTH = 72;
    /** Height of the caption line {@link #render} adds above the map when a caption is given. */
    public static final int CAPTION_HEIGHT = 22;
    private static final int MIN_HEIGHT = 96;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Heatmap() {}

    /**
     * A map normalized for colouring.
     *
     * @param height rows
     * @param width columns
     * @param values row-major, in [0, 1] (or [-1, 1] for {@link Sign#ALL}); owned by the record, do not modify
     * @param low the attribution value at colour-map position 0
     * @param high the attribution value at colour-map position 1
     */
    public record Normalized(int height, int width, float[] values, float low, float high) {
        /** The colour-map position of element {@code (y, x)}. */
        public double position(int y, int x, Sign sign) {
            float v = values[y * width + x];
            return sign == Sign.ALL ? (v + 1) / 2.0 : v;
        }
    }

    /**
     * Sums {@code attr} ({@code [H, W]}, {@code [C, H, W]} or {@code [1, C, H, W]}) over channels and
     * normalizes it as the options say.
     */
    public static Normalized normalize(Tensor attr, HeatmapOptions options) {
        int[] dims = attr.shape().dims();
        if (dims.length == 4 && dims[0] == 1) {
            dims = Arrays.copyOfRange(dims, 1, 4);
        }
        if (dims.length == 2) {
            dims = new int[] {1, dims[0], dims[1]};
        }
        if (dims.length != 3 || dims[1] == 0 || dims[2] == 0) {
            throw new InvalidInputException("attribution of shape " + attr.shape() + " is not one image map; give "
                    + "[C, H, W], [1, C, H, W] or [H, W] (select one example of a batch with values().row(i))");
        }
        int c = dims[0];
        int h = dims[1];
        int w = dims[2];
        int plane = h * w;
        float[] a = attr.data();
        float[] map = new float[plane];
        for (int i = 0; i < plane; i++) {
            double s = 0;
            for (int k = 0; k < c; k++) {
                s += a[k * plane + i];
            }
            map[i] = keep((float) s, options.sign());
        }
        float[] magnitudes = new float[plane];
        for (int i = 0; i < plane; i++) {
            magnitudes[i] = Math.abs(map[i]);
        }
        float q = percentile(magnitudes, options.percentile());
        float[] v = new float[plane];
        for (int i = 0; i < plane; i++) {
            v[i] = q == 0 ? 0 : Math.max(-1f, Math.min(1f, map[i] / q));
        }
        return switch (options.sign()) {
            case ALL -> new Normalized(h, w, v, -q, q);
            case NEGATIVE -> new Normalized(h, w, v, 0, -q);
            default -> new Normalized(h, w, v, 0, q);
        };
    }

    /**
     * The heatmap alone, blended over {@code base} (may be {@code null}: the colours alone), one block of
     * {@code scale x scale} pixels per map element. Size {@code W * scale x H * scale}.
     */
    public static BufferedImage overlay(Tensor attr, BufferedImage base, HeatmapOptions options) {
        Normalized n = normalize(attr, options);
        int s = options.scaleFor(n.height(), n.width());
        int ow = n.width() * s;
        int oh = n.height() * s;
        BufferedImage grey = base == null ? null : Images.scaleNearest(base, ow, oh);
        double alpha = base == null ? 1 : options.alpha();
        BufferedImage out = new BufferedImage(ow, oh, BufferedImage.TYPE_INT_RGB);
        for (int py = 0; py < oh; py++) {
            for (int px = 0; px < ow; px++) {
                int heat = options.colormap().rgb(n.position(py / s, px / s, options.sign()));
                int g = grey == null ? 0 : luminance(grey.getRGB(px, py));
                out.setRGB(px, py, blend(heat, g, alpha));
            }
        }
        return out;
    }

    /**
     * The heatmap over {@code base} with a colour bar labelled with the attribution values at its ends,
     * and a caption line above when {@code caption} is not null or empty (e.g.
     * {@code "IntegratedGradients - predicted: red (0.97)"}).
     */
    public static BufferedImage render(Tensor attr, BufferedImage base, HeatmapOptions options, String caption) {
        Normalized n = normalize(attr, options);
        BufferedImage map = overlay(attr, base, options);
        boolean captioned = caption != null && !caption.isEmpty();
        int top = captioned ? CAPTION_HEIGHT : 0;
        int bodyHeight = Math.max(map.getHeight(), MIN_HEIGHT);
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        int textWidth = captioned ? textWidth(probe, caption) + 8 : 0;
        int width = Math.max(map.getWidth() + COLORBAR_WIDTH, textWidth);
        BufferedImage out = new BufferedImage(width, top + bodyHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setFont(FONT);
            g.setColor(Color.BLACK);
            if (captioned) {
                g.drawString(caption, 4, top - 6);
            }
            g.drawImage(map, 0, top, null);
            drawColorbar(g, options, n, map.getWidth() + 8, top + 4, bodyHeight - 8);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {@link #render} written as a PNG file. */
    public static void writePng(Path file, Tensor attr, BufferedImage base, HeatmapOptions options, String caption) {
        Images.writePng(render(attr, base, options, caption), file);
    }

    static int textWidth(BufferedImage any, String text) {
        Graphics2D g = any.createGraphics();
        try {
            return g.getFontMetrics(FONT).stringWidth(text);
        } finally {
            g.dispose();
        }
    }

    static Font font() {
        return FONT;
    }

    private static void drawColorbar(Graphics2D g, HeatmapOptions options, Normalized n, int x, int y, int height) {
        int barWidth = 14;
        int barTop = y + 14;
        int barHeight = Math.max(2, height - 28);
        for (int i = 0; i < barHeight; i++) {
            double t = 1 - i / (double) (barHeight - 1);
            g.setColor(new Color(options.colormap().rgb(t)));
            g.fillRect(x, barTop + i, barWidth, 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(x, barTop, barWidth - 1, barHeight - 1);
        g.drawString(label(n.high()), x, barTop - 3);
        g.drawString(label(n.low()), x, barTop + barHeight + 12);
        if (options.sign() == Sign.ALL) {
            g.drawString("0", x + barWidth + 3, barTop + barHeight / 2 + 4);
        }
    }

    private static String label(float v) {
        return v == 0 ? "0" : String.format(Locale.ROOT, "%.3g", v);
    }

    private static float keep(float s, Sign sign) {
        return switch (sign) {
            case POSITIVE -> Math.max(s, 0f);
            case NEGATIVE -> Math.max(-s, 0f);
            case ABSOLUTE -> Math.abs(s);
            case ALL -> s;
        };
    }

    /** Nearest-rank percentile of non-negative values; falls back to the maximum when it is 0. */
    private static float percentile(float[] magnitudes, double p) {
        float[] sorted = magnitudes.clone();
        Arrays.sort(sorted);
        int k = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        float q = sorted[Math.max(0, Math.min(sorted.length - 1, k))];
        return q > 0 || !Float.isFinite(q) ? q : sorted[sorted.length - 1];
    }

    private static int luminance(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int gr = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return (int) Math.round(0.299 * r + 0.587 * gr + 0.114 * b);
    }

    private static int blend(int heat, int grey, double alpha) {
        int out = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int c = (heat >> shift) & 0xff;
            out |= (int) Math.round(alpha * c + (1 - alpha) * grey) << shift;
        }
        return out;
    }
}
