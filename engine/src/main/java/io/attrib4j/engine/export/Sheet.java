package io.attrib4j.engine.export;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several attribution methods side by side for one image: the original, then one {@link Heatmap} per
 * method, each with its caption, under an optional title; one PNG.
 */
public final class Sheet {
    private static final int GAP = 8;

    private Sheet() {}

    /**
     * One heatmap of the sheet.
     *
     * @param caption the line above it (e.g. the method's name)
     * @param attribution the map, as {@link Heatmap#normalize} takes it
     * @param options how to draw it
     */
    public record Panel(String caption, Tensor attribution, HeatmapOptions options) {}

    /**
     * The original image (upscaled like the first panel), then the panels left to right.
     *
     * @param original the input image as shown (see {@link Images#toImage})
     * @param panels at least one
     * @param title a line above everything, or {@code null}
     */
    public static BufferedImage render(BufferedImage original, List<Panel> panels, String title) {
        if (panels.isEmpty()) {
            throw new InvalidInputException("a sheet needs at least one panel; give one attribution per method");
        }
        List<BufferedImage> tiles = new ArrayList<>();
        HeatmapOptions first = panels.get(0).options();
        int s = first.scaleFor(original.getHeight(), original.getWidth());
        BufferedImage input = Images.scaleNearest(original, original.getWidth() * s, original.getHeight() * s);
        tiles.add(captioned(input, "input"));
        for (Panel p : panels) {
            tiles.add(Heatmap.render(p.attribution(), original, p.options(), p.caption()));
        }
        boolean hasTitle = title != null && !title.isEmpty();
        int top = hasTitle ? Heatmap.CAPTION_HEIGHT + 4 : 0;
        int width = GAP;
        int height = 0;
        for (BufferedImage t : tiles) {
            width += t.getWidth() + GAP;
            height = Math.max(height, t.getHeight());
        }
        if (hasTitle) {
            width = Math.max(width, Heatmap.textWidth(input, title) + 2 * GAP);
        }
        BufferedImage out = new BufferedImage(width, top + height + 2 * GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(Heatmap.font().deriveFont(java.awt.Font.BOLD));
            if (hasTitle) {
                g.drawString(title, GAP, top - 6);
            }
            int x = GAP;
            for (BufferedImage t : tiles) {
                g.drawImage(t, x, top + GAP, null);
                x += t.getWidth() + GAP;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** {@link #render} written as a PNG file. */
    public static void writePng(Path file, BufferedImage original, List<Panel> panels, String title) {
        Images.writePng(render(original, panels, title), file);
    }

    private static BufferedImage captioned(BufferedImage image, String caption) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight() + Heatmap.CAPTION_HEIGHT,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setColor(Color.BLACK);
            g.setFont(Heatmap.font());
            g.drawString(caption, 4, Heatmap.CAPTION_HEIGHT - 6);
            g.drawImage(image, 0, Heatmap.CAPTION_HEIGHT, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
