package io.attrib4j.probing;

import io.attrib4j.engine.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests (hex) for cache keys. */
final class Hashes {
    private static final int CHUNK = 4096;

    private Hashes() {}

    /** Over the tensor's dtype, shape and little-endian float values. */
    static String of(Tensor t) {
        MessageDigest md = sha256();
        md.update((t.dtype() + t.shape().toString()).getBytes(StandardCharsets.UTF_8));
        float[] data = t.data();
        ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; i += CHUNK) {
            buf.clear();
            for (int j = i; j < Math.min(data.length, i + CHUNK); j++) {
                buf.putFloat(data[j]);
            }
            md.update(buf.array(), 0, buf.position());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Over the UTF-8 bytes of {@code text}. */
    static String of(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
