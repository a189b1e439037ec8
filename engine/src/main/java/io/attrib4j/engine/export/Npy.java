package io.attrib4j.engine.export;

import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), as specified in
 * <a href="https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html">numpy.lib.format</a>:
 * the magic string {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes
 * little-endian in version 1, 4 bytes in versions 2 and 3), then a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and ended by
 * a newline so that the data starts at a multiple of 64 bytes, then the raw data.
 *
 * <p>Reads little-endian {@code float32}, {@code float64} (narrowed to float), {@code int64} and
 * {@code int32} (as {@link DType#INT64} tensors) in C order. Writes {@code float32}, or {@code int64}
 * for {@link DType#INT64} tensors, in version 1.0 (2.0 when the header would not fit).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final int ALIGN = 64;

    private Npy() {}

    /**
     * Reads a {@code .npy} file.
     *
     * @throws InvalidInputException when the file is missing, truncated, corrupt, Fortran-ordered, or
     *     holds a dtype other than little-endian float32/float64/int64/int32
     */
    public static Tensor read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException("npy file " + file + " does not exist; check the path");
        } catch (IOException e) {
            throw new InvalidInputException("cannot read npy file " + file + ": " + e.getMessage()
                    + "; check that it is a readable file", e);
        }
        return parse(bytes, file.toString());
    }

    /**
     * Parses the bytes of a {@code .npy} file; {@code name} is how messages refer to it.
     *
     * @throws InvalidInputException as {@link #read(Path)}
     */
    public static Tensor parse(byte[] bytes, String name) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw corrupt(name, "it does not start with the npy magic string \\x93NUMPY");
        }
        int major = bytes[6] & 0xff;
        long headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw corrupt(name, "the file ends inside the header");
            }
            headerLen = buf.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw corrupt(name, "format version " + major + "." + (bytes[7] & 0xff)
                    + " is unknown (versions 1, 2 and 3 are read); re-save it with numpy.save");
        }
        if (headerStart + headerLen > bytes.length) {
            throw corrupt(name, "the file ends inside the header (truncated)");
        }
        String header = new String(bytes, headerStart, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = field(DESCR, header, "descr", name);
        boolean fortran = "True".equals(field(FORTRAN, header, "fortran_order", name));
        Shape shape = parseShape(field(SHAPE, header, "shape", name), name);
        if (fortran && shape.rank() > 1) {
            throw new InvalidInputException("npy file " + name + " is in Fortran (column-major) order, which is not "
                    + "supported; save a C-ordered copy: numpy.save(path, numpy.ascontiguousarray(a))");
        }
        int dataStart = headerStart + (int) headerLen;
        Element element = Element.of(descr, name);
        long needed = (long) shape.size() * element.bytes;
        if (bytes.length - dataStart < needed) {
            throw corrupt(name, "shape " + shape + " of " + descr + " needs " + needed + " data bytes but only "
                    + (bytes.length - dataStart) + " are present (truncated)");
        }
        buf.position(dataStart);
        return element.read(buf, shape);
    }

    /**
     * Writes {@code tensor} as a {@code .npy} file: {@code <f4}, or {@code <i8} for an
     * {@link DType#INT64} tensor; C order.
     */
    public static void write(Path file, Tensor tensor) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, toBytes(tensor));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write npy file " + file, e);
        }
    }

    /** The bytes of the {@code .npy} file {@link #write} writes. */
    public static byte[] toBytes(Tensor tensor) {
        boolean ints = tensor.dtype() == DType.INT64;
        byte[] header = header(ints ? "<i8" : "<f4", tensor.shape());
        int elementBytes = ints ? 8 : 4;
        ByteBuffer out = ByteBuffer.allocate(header.length + tensor.size() * elementBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(header);
        if (ints) {
            for (long v : tensor.toLongArray()) {
                out.putLong(v);
            }
        } else {
            for (float v : tensor.data()) {
                out.putFloat(v);
            }
        }
        return out.array();
    }

    /** Magic, version, length and dict, padded with spaces and a final newline to a multiple of 64 bytes. */
    private static byte[] header(String descr, Shape shape) {
        StringBuilder dims = new StringBuilder();
        for (int a = 0; a < shape.rank(); a++) {
            dims.append(shape.dim(a)).append(a == 0 && shape.rank() == 1 ? "," : a < shape.rank() - 1 ? ", " : "");
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int prefix = 10;
        int total = roundUp(prefix + dict.length() + 1);
        boolean v2 = total - prefix > 0xffff;
        if (v2) {
            prefix = 12;
            total = roundUp(prefix + dict.length() + 1);
        }
        String padded = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v2 ? 2 : 1)).put((byte) 0);
        if (v2) {
            b.putInt(padded.length());
        } else {
            b.putShort((short) padded.length());
        }
        b.put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static int roundUp(int n) {
        return (n + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String field(Pattern p, String header, String key, String name) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw corrupt(name, "its header has no '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static Shape parseShape(String text, String name) {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String s = part.strip().replace("L", "");
            if (s.isEmpty()) {
                continue;
            }
            try {
                dims.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw corrupt(name, "its shape (" + text + ") is not a tuple of whole numbers");
            }
        }
        try {
            return Shape.of(dims.stream().mapToInt(Integer::intValue).toArray());
        } catch (IllegalArgumentException e) {
            throw corrupt(name, "its shape (" + text + ") is invalid: " + e.getMessage());
        }
    }

    private static InvalidInputException corrupt(String name, String why) {
        return new InvalidInputException("npy file " + name + " is not a valid .npy file: " + why
                + "; write it with numpy.save (float32, C order)");
    }

    /** The element types read, with their size in bytes. */
    private enum Element {
        F4(4), F8(8), I8(8), I4(4);

        final int bytes;

        Element(int bytes) {
            this.bytes = bytes;
        }

        static Element of(String descr, String name) {
            switch (descr) {
                case "<f4": return F4;
                case "<f8": return F8;
                case "<i8": return I8;
                case "<i4": return I4;
                default:
                    throw new InvalidInputException("npy file " + name + " holds dtype '" + descr + "', which is not "
                            + "supported (little-endian float32 '<f4', float64 '<f8', int64 '<i8', int32 '<i4' are); "
                            + "convert it first, e.g. numpy.save(path, a.astype(numpy.float32))");
            }
        }

        Tensor read(ByteBuffer buf, Shape shape) {
            int n = shape.size();
            switch (this) {
                case F4: {
                    float[] d = new float[n];
                    buf.asFloatBuffer().get(d);
                    return Tensor.of(d, shape);
                }
                case F8: {
                    float[] d = new float[n];
                    for (int i = 0; i < n; i++) {
                        d[i] = (float) buf.getDouble();
                    }
                    return Tensor.of(d, shape);
                }
                default: {
                    long[] v = new long[n];
                    for (int i = 0; i < n; i++) {
                        v[i] = this == I8 ? buf.getLong() : buf.getInt();
                    }
                    try {
                        return Tensor.ofInt64(v, shape);
                    } catch (IllegalArgumentException e) {
                        throw new InvalidInputException("integer npy data cannot be held exactly: " + e.getMessage()
                                + "; attrib4j reads integers up to 2^24 (token ids, class indices)", e);
                    }
                }
            }
        }
    }
}
