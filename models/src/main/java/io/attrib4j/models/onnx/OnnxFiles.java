package io.attrib4j.models.onnx;

import io.attrib4j.engine.ModelLoadException;
import io.attrib4j.models.ModelSupport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading an ONNX file with clear errors, and its SHA-256 for {@link io.attrib4j.engine.model.ModelInfo}. */
final class OnnxFiles {
    private OnnxFiles() {}

    /** The file's bytes; a missing, directory or unreadable path raises a {@link ModelLoadException}. */
    static byte[] read(Path path) {
        if (!Files.exists(path)) {
            throw new ModelLoadException("ONNX file '" + path + "' does not exist; check the path (relative paths "
                    + "resolve against the working directory " + Path.of("").toAbsolutePath() + ")");
        }
        if (Files.isDirectory(path)) {
            throw new ModelLoadException("'" + path + "' is a directory; give the .onnx file itself");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ModelLoadException("could not read ONNX file '" + path + "': " + e.getMessage()
                    + "; check that the file exists and is readable", e);
        }
    }

    static String sha256(byte[] bytes) {
        return io.attrib4j.engine.ContentHash.sha256Hex(bytes);
    }
}
