package io.attrib4j.models.tf;

import io.attrib4j.engine.ModelLoadException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.attrib4j.engine.ContentHash;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;

/**
 * The content hash of a SavedModel directory: SHA-256 over its regular files in sorted relative-path
 * order, each contributing its path (UTF-8, '/'-separated, then a NUL byte) and its bytes. Two
 * directories with the same files give the same hash wherever they lie.
 */
final class SavedModelHash {
    private SavedModelHash() {}

    static String of(Path dir) {
        MessageDigest digest = ContentHash.sha256();
        byte[] buf = new byte[1 << 16];
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).map(dir::relativize)
                    .sorted((a, b) -> slashed(a).compareTo(slashed(b))).toList();
            for (Path rel : files) {
                digest.update(slashed(rel).getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                try (InputStream in = Files.newInputStream(dir.resolve(rel))) {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        digest.update(buf, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("could not read SavedModel directory '" + dir + "': " + e.getMessage()
                    + "; check that its files are readable", e);
        }
        return ContentHash.hex(digest);
    }

    private static String slashed(Path rel) {
        return rel.toString().replace('\\', '/');
    }
}
