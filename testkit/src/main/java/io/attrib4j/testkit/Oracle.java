package io.attrib4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Captum 0.8.0's reference data (copied from {@code shared/oracle} into this module's resources, see
 * {@code oracle/README.md} there for every formula): arrays stored as raw little-endian {@code .bin}
 * with a {@code .json} holding the shape and dtype.
 */
public final class Oracle {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Oracle() {}

    /** A float32 (or float64, narrowed) array, e.g. {@code load("mlp/x")}. */
    public static Tensor load(String name) {
        JsonNode meta = meta(name);
        byte[] bytes = bytes(name + ".bin");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        Shape shape = shape(meta);
        String dtype = meta.get("dtype").asText();
        float[] data = new float[shape.size()];
        switch (dtype) {
            case "float32" -> buf.asFloatBuffer().get(data);
            case "float64" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) buf.getDouble();
                }
            }
            case "int64" -> {
                for (int i = 0; i < data.length; i++) {
                    data[i] = buf.getLong();
                }
            }
            default -> throw new IllegalArgumentException("unknown dtype " + dtype + " in " + name);
        }
        return Tensor.of(data, shape);
    }

    /** A float64 array at full precision. */
    public static double[] loadDoubles(String name) {
        byte[] bytes = bytes(name + ".bin");
        double[] out = new double[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    /** An int64 array, e.g. the targets. */
    public static int[] loadInts(String name) {
        byte[] bytes = bytes(name + ".bin");
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int[] out = new int[bytes.length / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.toIntExact(buf.getLong());
        }
        return out;
    }

    /** The float32 array as stored, without conversion. */
    public static float[] loadFloats(String name) {
        return load(name).data();
    }

    /** The JSON description of an array. */
    public static JsonNode meta(String name) {
        try (InputStream in = open(name + ".json")) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A model file of {@code oracle/models/} copied to a temporary file (native loaders need a path).
     */
    public static Path modelFile(String fileName) {
        try (InputStream in = open("models/" + fileName)) {
            Path dir = Files.createTempDirectory("attrib4j-oracle");
            Path p = dir.resolve(fileName);
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
            p.toFile().deleteOnExit();
            dir.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Shape shape(JsonNode meta) {
        JsonNode s = meta.get("shape");
        int[] dims = new int[s.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = s.get(i).asInt();
        }
        return Shape.of(dims);
    }

    private static byte[] bytes(String resource) {
        try (InputStream in = open(resource)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = Oracle.class.getResourceAsStream("/oracle/" + resource);
        if (in == null) {
            throw new IllegalArgumentException("no oracle resource " + resource);
        }
        return in;
    }
}
