package io.attrib4j.engine.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir
    Path dir;

    /** A .npy file built byte by byte from the format specification. */
    private static byte[] npy(int major, String dict, byte[] data) {
        int prefix = major == 1 ? 10 : 12;
        int total = ((prefix + dict.length() + 1 + 63) / 64) * 64;
        String header = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        int len = header.length();
        if (major == 1) {
            out.writeBytes(new byte[] {(byte) (len & 0xff), (byte) (len >> 8)});
        } else {
            out.writeBytes(new byte[] {(byte) (len & 0xff), (byte) (len >> 8), 0, 0});
        }
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    private static byte[] littleEndianDoubles(double... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    @Test
    void float32RoundTrip() {
        float[] d = new float[2 * 3 * 4];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) Math.sin(i) * 1e3f;
        }
        Path f = dir.resolve("x.npy");
        Npy.write(f, Tensor.of(d.clone(), 2, 3, 4));
        Tensor back = Npy.read(f);
        assertEquals(Shape.of(2, 3, 4), back.shape());
        assertEquals(DType.FLOAT32, back.dtype());
        assertArrayEquals(d, back.data());
    }

    @Test
    void int64RoundTrip() {
        long[] v = {0, 7, -3, 1 << 20, 42, 5};
        Path f = dir.resolve("ids.npy");
        Npy.write(f, Tensor.ofInt64(v, Shape.of(6)));
        Tensor back = Npy.read(f);
        assertEquals(DType.INT64, back.dtype());
        assertEquals(Shape.of(6), back.shape());
        assertArrayEquals(v, back.toLongArray());
    }

    @Test
    void writtenHeaderFollowsTheSpecification() {
        byte[] bytes = Npy.toBytes(Tensor.of(new float[5], 5));
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(1, bytes[6], "version 1.0");
        assertEquals(0, (10 + headerLen) % 64, "data starts at a multiple of 64");
        String header = new String(bytes, 10, headerLen, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }"), header);
        assertEquals('\n', header.charAt(header.length() - 1));
        assertEquals(10 + headerLen + 5 * 4, bytes.length);
    }

    @Test
    void readsHandBuiltFloat64VersionOne() {
        byte[] bytes = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                littleEndianDoubles(1.5, -2.25, 3.0, 1e-3));
        Tensor t = Npy.parse(bytes, "hand.npy");
        assertEquals(Shape.of(2, 2), t.shape());
        assertArrayEquals(new float[] {1.5f, -2.25f, 3.0f, 1e-3f}, t.data());
    }

    @Test
    void readsHandBuiltInt32VersionTwo() {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(3).putInt(-1).putInt(9);
        byte[] bytes = npy(2, "{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }", b.array());
        Tensor t = Npy.parse(bytes, "v2.npy");
        assertEquals(DType.INT64, t.dtype());
        assertArrayEquals(new long[] {3, -1, 9}, t.toLongArray());
    }

    @Test
    void fortranOrderIsRejectedWithTheFix() throws Exception {
        Path f = dir.resolve("fortran.npy");
        Files.write(f, npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }",
                littleEndianDoubles(1, 2, 3, 4)));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("Fortran"), e.getMessage());
        assertTrue(e.getMessage().contains("ascontiguousarray"), e.getMessage());
    }

    @Test
    void otherDtypesAreRejectedByName() {
        byte[] bytes = npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.parse(bytes, "big.npy"));
        assertTrue(e.getMessage().contains("'>f4'"), e.getMessage());
        assertTrue(e.getMessage().contains("astype"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheFile() throws Exception {
        byte[] full = Npy.toBytes(Tensor.of(new float[10], 10));
        Path f = dir.resolve("short.npy");
        Files.write(f, Arrays.copyOf(full, full.length - 4));
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void garbageAndMissingFilesNameTheFile() throws Exception {
        Path f = dir.resolve("garbage.npy");
        Files.writeString(f, "not an array at all");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
        Path missing = dir.resolve("missing.npy");
        InvalidInputException m = assertThrows(InvalidInputException.class, () -> Npy.read(missing));
        assertTrue(m.getMessage().contains(missing.toString()), m.getMessage());
    }
}
