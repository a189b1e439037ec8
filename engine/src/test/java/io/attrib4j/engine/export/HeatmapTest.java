package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.HeatmapOptions.Sign;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pixel facts of heatmaps, checked against the colour map's tabulated anchors. */
class HeatmapTest {
    @TempDir
    Path dir;

    private static HeatmapOptions.Builder opaque() {
        return HeatmapOptions.builder().optAlpha(1).optScale(1);
    }

    private static int rgb(BufferedImage im, int x, int y) {
        return im.getRGB(x, y) & 0xffffff;
    }

    private static int count(BufferedImage im, int colour) {
        int n = 0;
        for (int y = 0; y < im.getHeight(); y++) {
            for (int x = 0; x < im.getWidth(); x++) {
                n += rgb(im, x, y) == colour ? 1 : 0;
            }
        }
        return n;
    }

    /** 10 x 10 map holding 1..100 (value k at flat position (37 k) mod 100, a permutation). */
    private static Tensor oneToHundred() {
        float[] d = new float[100];
        for (int k = 1; k <= 100; k++) {
            d[(37 * k) % 100] = k;
        }
        return Tensor.of(d, 10, 10);
    }

    @Test
    void smallMapsAreUpscaledAndDecorated() {
        Tensor attr = Tensor.zeros(Shape.of(3, 32, 32));
        BufferedImage map = Heatmap.overlay(attr, null, HeatmapOptions.defaults());
        assertEquals(256, map.getWidth());
        assertEquals(256, map.getHeight());
        BufferedImage full = Heatmap.render(attr, null, HeatmapOptions.defaults(), "IG");
        assertEquals(256 + Heatmap.COLORBAR_WIDTH, full.getWidth());
        assertEquals(256 + Heatmap.CAPTION_HEIGHT, full.getHeight());
        BufferedImage batched = Heatmap.overlay(Tensor.zeros(Shape.of(1, 3, 224, 224)), null, HeatmapOptions.defaults());
        assertEquals(224, batched.getWidth(), "224 px needs no upscaling");
    }

    @Test
    void hottestPixelGetsTheHottestColour() {
        float[] d = new float[3 * 8 * 8];
        d[5 * 8 + 6] = 2f; // channel 0, y=5, x=6
        d[64 + 5 * 8 + 6] = 1f; // channel 1, same pixel: channels are summed
        d[2 * 64 + 1] = 0.5f;
        BufferedImage im = Heatmap.overlay(Tensor.of(d, 3, 8, 8), null, opaque().optPercentile(100).build());
        assertEquals(Colormap.INFERNO.hottest(), rgb(im, 6, 5));
        assertEquals(0x000004, rgb(im, 0, 0), "zero attribution gets the coldest colour");
        assertEquals(1, count(im, Colormap.INFERNO.hottest()));
    }

    @Test
    void clippingAtThePercentileSaturatesTheTopTwoPercent() {
        HeatmapOptions clipped = opaque().build(); // percentile 98 by default
        BufferedImage im = Heatmap.overlay(oneToHundred(), null, clipped);
        int hot = Colormap.INFERNO.hottest();
        // nearest-rank 98th percentile of 1..100 is 98: values 98, 99 and 100 reach the end of the map
        assertEquals(3, count(im, hot));
        assertEquals(hot, rgb(im, (37 * 99) % 10, (37 * 99) % 100 / 10));
        assertNotEquals(hot, rgb(im, (37 * 97) % 10, (37 * 97) % 100 / 10), "97 is below the percentile");
        BufferedImage unclipped = Heatmap.overlay(oneToHundred(), null, opaque().optPercentile(100).build());
        assertEquals(1, count(unclipped, hot));
    }

    @Test
    void allModeMapsZeroToTheDivergingMidpoint() {
        float[] d = {-4f, 0f, 4f, 0f, 1f, -1f};
        HeatmapOptions all = opaque().optSign(Sign.ALL).optPercentile(100).build();
        assertEquals(Colormap.RDBU, all.colormap(), "ALL defaults to the diverging map");
        BufferedImage im = Heatmap.overlay(Tensor.of(d, 2, 3), null, all);
        assertEquals(0xf7f7f7, rgb(im, 1, 0));
        assertEquals(0xf7f7f7, rgb(im, 0, 1));
        assertEquals(0x053061, rgb(im, 0, 0), "most negative is the blue end");
        assertEquals(0x67001f, rgb(im, 2, 0), "most positive is the red end");
    }

    @Test
    void signModesKeepTheirPart() {
        Tensor t = Tensor.of(new float[] {-2f, 1f}, 1, 2);
        float[] pos = Heatmap.normalize(t, opaque().optSign(Sign.POSITIVE).optPercentile(100).build()).values();
        float[] neg = Heatmap.normalize(t, opaque().optSign(Sign.NEGATIVE).optPercentile(100).build()).values();
        float[] abs = Heatmap.normalize(t, opaque().optSign(Sign.ABSOLUTE).optPercentile(100).build()).values();
        assertEquals(0f, pos[0]);
        assertEquals(1f, pos[1]);
        assertEquals(1f, neg[0]);
        assertEquals(0f, neg[1]);
        assertEquals(1f, abs[0]);
        assertEquals(0.5f, abs[1]);
    }

    @Test
    void alphaBlendsOverTheGreyImage() {
        BufferedImage base = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        base.setRGB(0, 0, 0x646464); // grey 100
        base.setRGB(1, 0, 0x646464);
        Tensor attr = Tensor.of(new float[] {1f, 0f}, 1, 2);
        BufferedImage im = Heatmap.overlay(attr, base,
                HeatmapOptions.builder().optAlpha(0.5).optScale(1).optPercentile(100).build());
        int hot = Colormap.INFERNO.hottest();
        int expected = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            expected |= (int) Math.round(0.5 * (hot >> shift & 0xff) + 0.5 * 100) << shift;
        }
        assertEquals(expected, rgb(im, 0, 0));
    }

    @Test
    void writesPngAndSheet() throws Exception {
        Path f = dir.resolve("h.png");
        Heatmap.writePng(f, oneToHundred(), null, HeatmapOptions.defaults(), "IntegratedGradients - predicted: red (0.97)");
        BufferedImage back = ImageIO.read(f.toFile());
        assertTrue(back.getWidth() >= 250 && back.getHeight() > 250);
        BufferedImage original = new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB);
        Path s = dir.resolve("sheet.png");
        Sheet.writePng(s, original, List.of(new Sheet.Panel("IG", oneToHundred(), HeatmapOptions.defaults()),
                new Sheet.Panel("Saliency", oneToHundred(), HeatmapOptions.defaults())), "sample 0");
        BufferedImage sheet = ImageIO.read(s.toFile());
        assertTrue(sheet.getWidth() > 3 * 250, "input and two heatmaps side by side: " + sheet.getWidth());
        assertTrue(Files.size(s) > 0);
    }

    @Test
    void batchesAreRejectedWithAHint() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Heatmap.normalize(Tensor.zeros(Shape.of(2, 3, 4, 4)), HeatmapOptions.defaults()));
        assertTrue(e.getMessage().contains("row(i)"), e.getMessage());
    }
}
