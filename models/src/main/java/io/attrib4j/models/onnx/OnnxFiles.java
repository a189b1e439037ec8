package io.attrib4j.models.onnx;

import io.attrib4j.engine.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    static String firstLine(String message) {
        if (message == null || message.isBlank()) {
            return "(no message)";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }
}
