package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir
    Path dir;

    private Path png() throws Exception {
        BufferedImage im = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        im.setRGB(0, 0, 0xff0000);
        im.setRGB(1, 0, 0x00ff00);
        im.setRGB(2, 1, 0x336699);
        Path f = dir.resolve("in.png");
        ImageIO.write(im, "png", f.toFile());
        return f;
    }

    @Test
    void readsChannelFirstScaledToUnit() throws Exception {
        Tensor t = Images.read(png(), ImageOptions.defaults());
        assertEquals(Shape.of(1, 3, 2, 3), t.shape());
        assertEquals(1f, t.get(0, 0, 0, 0));
        assertEquals(0f, t.get(0, 1, 0, 0));
        assertEquals(1f, t.get(0, 1, 0, 1));
        assertEquals(0x33 / 255f, t.get(0, 0, 1, 2), 1e-7);
        assertEquals(0x66 / 255f, t.get(0, 1, 1, 2), 1e-7);
        assertEquals(0x99 / 255f, t.get(0, 2, 1, 2), 1e-7);
    }

    @Test
    void normalizesAndUndoesIt() throws Exception {
        ImageOptions o = ImageOptions.builder().optMean(new float[] {0.5f, 0.25f, 0f})
                .optStd(new float[] {0.5f, 0.25f, 2f}).build();
        Tensor t = Images.read(png(), o);
        assertEquals(1f, t.get(0, 0, 0, 0), 1e-6); // (1 - 0.5) / 0.5
        assertEquals(-1f, t.get(0, 1, 0, 0), 1e-6); // (0 - 0.25) / 0.25
        BufferedImage back = Images.toImage(t, o);
        assertEquals(0x336699, back.getRGB(2, 1) & 0xffffff);
        assertEquals(0xff0000, back.getRGB(0, 0) & 0xffffff);
    }

    @Test
    void resizes() throws Exception {
        Tensor t = Images.read(png(), ImageOptions.builder().optResize(8, 4).build());
        assertEquals(Shape.of(1, 3, 4, 8), t.shape());
    }

    @Test
    void displayClampsToUnitRange() {
        Tensor t = Tensor.of(new float[] {2f, -1f, 0.5f}, 3, 1, 1);
        assertEquals(0xff0080, Images.toImage(t, ImageOptions.defaults()).getRGB(0, 0) & 0xffffff);
    }

    @Test
    void badFilesNameTheFile() throws Exception {
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "no pixels here");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Images.read(junk, ImageOptions.defaults()));
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
        Path missing = dir.resolve("missing.jpg");
        InvalidInputException m = assertThrows(InvalidInputException.class,
                () -> Images.read(missing, ImageOptions.defaults()));
        assertTrue(m.getMessage().contains(missing.toString()), m.getMessage());
    }
}
