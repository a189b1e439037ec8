package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColormapTest {
    private static double luminance(int rgb) {
        return 0.2126 * (rgb >> 16 & 0xff) + 0.7152 * (rgb >> 8 & 0xff) + 0.0722 * (rgb & 0xff);
    }

    @Test
    void endsAreMatplotlibsEnds() {
        assertEquals(0x440154, Colormap.VIRIDIS.rgb(0));
        assertEquals(0xfde725, Colormap.VIRIDIS.rgb(1));
        assertEquals(0x000004, Colormap.INFERNO.rgb(0));
        assertEquals(0xfcffa4, Colormap.INFERNO.rgb(1));
        assertEquals(0xfcffa4, Colormap.INFERNO.hottest());
    }

    @Test
    void sequentialMapsGetBrighterMonotonically() {
        for (Colormap m : new Colormap[] {Colormap.VIRIDIS, Colormap.INFERNO}) {
            double prev = -1;
            for (int i = 0; i <= 100; i++) {
                double l = luminance(m.rgb(i / 100.0));
                assertTrue(l >= prev - 0.5, m + " luminance drops at t=" + i / 100.0);
                prev = l;
            }
            assertFalse(m.isDiverging());
        }
    }

    @Test
    void divergingMapIsBlueWhiteRed() {
        int lo = Colormap.RDBU.rgb(0);
        int hi = Colormap.RDBU.rgb(1);
        assertTrue((lo & 0xff) > (lo >> 16 & 0xff), "0 is blue");
        assertTrue((hi >> 16 & 0xff) > (hi & 0xff), "1 is red");
        assertEquals(0xf7f7f7, Colormap.RDBU.rgb(0.5), "the middle is near-white");
        assertTrue(Colormap.RDBU.isDiverging());
    }

    @Test
    void outOfRangeIsClamped() {
        assertEquals(Colormap.INFERNO.rgb(0), Colormap.INFERNO.rgb(-3));
        assertEquals(Colormap.INFERNO.rgb(1), Colormap.INFERNO.rgb(7));
        assertEquals(Colormap.INFERNO.rgb(0), Colormap.INFERNO.rgb(Double.NaN));
    }
}
