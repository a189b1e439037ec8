package io.attrib4j.engine.export;

/**
 * Colour maps for heatmaps: a value {@code t} in [0, 1] becomes an RGB colour, by linear interpolation
 * between tabulated anchors.
 *
 * <ul>
 *   <li>{@link #VIRIDIS} and {@link #INFERNO}: perceptually uniform sequential maps for magnitudes
 *       (van der Walt and Smith, matplotlib 2.0); 17 anchors sampled evenly from matplotlib's 256-entry
 *       tables. Dark is low, bright is high.</li>
 *   <li>{@link #RDBU}: ColorBrewer's diverging RdBu (Brewer 2002), reversed so that 0 is dark blue,
 *       0.5 is near-white {@code #f7f7f7} and 1 is dark red: for signed maps, negative blue, positive
 *       red.</li>
 * </ul>
 */
public enum Colormap {
    VIRIDIS(false, 0x440154, 0x48186a, 0x472d7b, 0x424086, 0x3b528b, 0x33638d, 0x2c728e, 0x26828e, 0x21918c,
            0x1f9f88, 0x27ad81, 0x3dbc74, 0x5cc863, 0x81d34d, 0xaadc32, 0xd5e21a, 0xfde725),
    INFERNO(false, 0x000004, 0x0b0724, 0x210c4a, 0x3d0965, 0x57106e, 0x71196e, 0x8a226a, 0xa32c61, 0xbc3754,
            0xd04545, 0xe35933, 0xf1711f, 0xf98c0a, 0xfcaa0f, 0xf9c932, 0xf2e865, 0xfcffa4),
    RDBU(true, 0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d,
            0xb2182b, 0x67001f);

    private final boolean diverging;
    private final int[] anchors;

    Colormap(boolean diverging, int... anchors) {
        this.diverging = diverging;
        this.anchors = anchors;
    }

    /** Whether the map is diverging (its middle stands for zero of a signed quantity). */
    public boolean isDiverging() {
        return diverging;
    }

    /**
     * The colour at {@code t}, as {@code 0xRRGGBB}. Values outside [0, 1] are clamped; NaN maps to the
     * colour at 0.
     */
    public int rgb(double t) {
        double x = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t));
        double pos = x * (anchors.length - 1);
        int i = Math.min((int) Math.floor(pos), anchors.length - 2);
        double f = pos - i;
        int a = anchors[i];
        int b = anchors[i + 1];
        return mix(a >> 16, b >> 16, f) << 16 | mix(a >> 8, b >> 8, f) << 8 | mix(a, b, f);
    }

    /** The colour of the highest value, {@code rgb(1)}. */
    public int hottest() {
        return anchors[anchors.length - 1];
    }

    private static int mix(int a, int b, double f) {
        int ca = a & 0xff;
        int cb = b & 0xff;
        return (int) Math.round(ca + (cb - ca) * f);
    }
}
