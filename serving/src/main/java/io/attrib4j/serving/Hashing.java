package io.attrib4j.serving;

import io.attrib4j.engine.ContentHash;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The input hash of a request: its tensor and its target, what cache keys and the audit chain use. */
public final class Hashing {
    private Hashing() {}

    /**
     * SHA-256 over the input in {@link ContentHash}'s one tensor layout, then the target's description: two
     * requests share it exactly when they ask the same question of the same numbers.
     */
    public static String inputHash(Tensor input, Target target) {
        MessageDigest md = ContentHash.sha256();
        ContentHash.update(md, input);
        md.update(("\ntarget " + target.describe()).getBytes(StandardCharsets.UTF_8));
        return ContentHash.hex(md);
    }
}
