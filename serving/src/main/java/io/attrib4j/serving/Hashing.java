package io.attrib4j.serving;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests used for cache keys and the audit chain. */
public final class Hashing {
    private Hashing() {}

    /** SHA-256 of UTF-8 {@code text}, hex. */
    public static String sha256(String text) {
        return HexFormat.of().formatHex(digest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * SHA-256 over the input's dtype, shape and little-endian element bytes, then the target's description:
     * two requests share it exactly when they ask the same question of the same numbers.
     */
    public static String inputHash(Tensor input, Target target) {
        MessageDigest md = digest();
        md.update((input.dtype() + " " + input.shape() + "\n").getBytes(StandardCharsets.UTF_8));
        ByteBuffer buf = ByteBuffer.allocate(4 * input.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : input.data()) { // INT64 tensors hold their values as floats too
            buf.putFloat(v);
        }
        md.update(buf.array());
        md.update(("\ntarget " + target.describe()).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime provides SHA-256", e);
        }
    }
}
