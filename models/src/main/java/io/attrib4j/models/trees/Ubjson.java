package io.attrib4j.models.trees;

import io.attrib4j.engine.ModelLoadException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reader of Universal Binary JSON (ubjson.org, draft 12), the binary form XGBoost saves {@code .ubj} models in,
 * into the plain Java values {@link Doc} reads: {@code Map} for objects, {@code List} for arrays, {@code Long},
 * {@code Double}, {@code String}, {@code Boolean}, {@code null}. Big-endian; strongly typed arrays of numbers
 * ({@code [$d#L n ...}) become {@code double[]}, which is how XGBoost writes its node arrays.
 */
final class Ubjson {
    private final ByteBuffer buf;
    private final String name;

    private Ubjson(byte[] bytes, String name) {
        this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        this.name = name;
    }

    /** Parses one UBJSON value from {@code bytes}; {@code name} is how messages refer to the file. */
    static Object parse(byte[] bytes, String name) {
        Ubjson p = new Ubjson(bytes, name);
        try {
            return p.value(p.buf.get());
        } catch (java.nio.BufferUnderflowException e) {
            throw new ModelLoadException("UBJSON file '" + name + "' ends inside a value (truncated); save the model "
                    + "again with save_model(\"model.ubj\")", e);
        }
    }

    private Object value(byte marker) {
        return switch (marker) {
            case '{' -> object();
            case '[' -> array();
            case 'Z' -> null;
            case 'T' -> Boolean.TRUE;
            case 'F' -> Boolean.FALSE;
            case 'S', 'H' -> string();
            case 'C' -> String.valueOf((char) (buf.get() & 0xff));
            case 'N' -> value(buf.get());
            default -> number(marker);
        };
    }

    private Object number(byte marker) {
        return switch (marker) {
            case 'i' -> (long) buf.get();
            case 'U' -> (long) (buf.get() & 0xff);
            case 'I' -> (long) buf.getShort();
            case 'l' -> (long) buf.getInt();
            case 'L' -> buf.getLong();
            case 'd' -> (double) buf.getFloat();
            case 'D' -> buf.getDouble();
            default -> throw new ModelLoadException("UBJSON file '" + name + "' has an unknown type marker '"
                    + (char) marker + "' at byte " + (buf.position() - 1) + "; is it a UBJSON model file?");
        };
    }

    private long length() {
        Object n = number(buf.get());
        return ((Number) n).longValue();
    }

    private String string() {
        int n = Math.toIntExact(length());
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The optional {@code $type} and {@code #count} of a container: {type (0: none), count (-1: none)}. */
    private long[] header() {
        long type = 0;
        long count = -1;
        if (peek() == '$') {
            buf.get();
            type = buf.get();
        }
        if (peek() == '#') {
            buf.get();
            count = length();
        }
        return new long[] {type, count};
    }

    private Map<String, Object> object() {
        Map<String, Object> out = new LinkedHashMap<>();
        long[] h = header();
        byte type = (byte) h[0];
        long count = h[1];
        for (long i = 0; count < 0 || i < count; i++) {
            if (count < 0 && peek() == '}') {
                buf.get();
                break;
            }
            String key = string();
            out.put(key, value(type != 0 ? type : buf.get()));
        }
        return out;
    }

    private Object array() {
        long[] h = header();
        byte type = (byte) h[0];
        long count = h[1];
        if (type != 0 && count >= 0 && "iUIlLdD".indexOf(type) >= 0) {
            double[] out = new double[Math.toIntExact(count)];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) number(type)).doubleValue();
            }
            return out;
        }
        List<Object> out = new ArrayList<>();
        for (long i = 0; count < 0 || i < count; i++) {
            if (count < 0 && peek() == ']') {
                buf.get();
                break;
            }
            out.add(value(type != 0 ? type : buf.get()));
        }
        return out;
    }

    private byte peek() {
        return buf.get(buf.position());
    }
}
