package io.attrib4j.engine;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests, the one helper every module uses: model content hashes, cache keys, tensor options in
 * specs and the audit trail's input hashes. A tensor is hashed as one byte layout everywhere: the UTF-8 text
 * {@code "<dtype> <shape>\n"} followed by its elements as little-endian float32 (int64 tensors hold their
 * values as floats too).
 */
public final class ContentHash {
    private static final int CHUNK = 4096;

    private ContentHash() {}

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java 17 runtime provides SHA-256", e);
        }
    }

    /** The digest's value as lower-case hex (this completes the digest). */
    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** SHA-256 of {@code bytes}, hex. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** SHA-256 of the UTF-8 bytes of {@code text}, hex. */
    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of a tensor in the one layout above, hex. */
    public static String of(Tensor t) {
        MessageDigest md = sha256();
        update(md, t);
        return hex(md);
    }

    /** Feeds a tensor, in the one layout above, to {@code md}. */
    public static void update(MessageDigest md, Tensor t) {
        md.update((t.dtype() + " " + t.shape() + "\n").getBytes(StandardCharsets.UTF_8));
        float[] data = t.data();
        ByteBuffer buf = ByteBuffer.allocate(4 * CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < data.length; i += CHUNK) {
            buf.clear();
            for (int j = i; j < Math.min(data.length, i + CHUNK); j++) {
                buf.putFloat(data[j]);
            }
            md.update(buf.array(), 0, buf.position());
        }
    }
}
