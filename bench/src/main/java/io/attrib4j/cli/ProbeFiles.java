package io.attrib4j.cli;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reading the {@code probe} and {@code tcav} commands' data files. */
final class ProbeFiles {
    private ProbeFiles() {}

    /** Integer labels from a {@code .npy} of integers (int or float dtype, integral values >= 0). */
    static int[] labels(Path file, String what) {
        Tensor t = Npy.read(file);
        float[] v = t.data();
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || v[i] < 0) {
                throw new InvalidInputException(what + " file " + file + " holds " + v[i] + " at position " + i
                        + "; it must hold non-negative integers, one per example");
            }
            out[i] = (int) v[i];
        }
        return out;
    }

    /**
     * Model inputs from a {@code .npy} file, or from every {@code .npy} file of a directory (by name;
     * each a batch, or one example when its rank is one less than the largest), concatenated.
     */
    static Tensor examples(Path path, String what) {
        if (!Files.isDirectory(path)) {
            return Npy.read(path);
        }
        List<Tensor> parts = new ArrayList<>();
        try (Stream<Path> files = Files.list(path)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".npy")).sorted().toList()) {
                parts.add(Npy.read(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path, e);
        }
        if (parts.isEmpty()) {
            throw new InvalidInputException("the " + what + " directory " + path + " holds no .npy files; put one "
                    + ".npy per example (or per batch) there");
        }
        int rank = parts.stream().mapToInt(t -> t.shape().rank()).max().orElseThrow();
        List<Tensor> batches = parts.stream()
                .map(t -> t.shape().rank() == rank - 1 ? t.reshape(t.shape().prependBatch(1)) : t).toList();
        for (Tensor t : batches) {
            if (!t.shape().dropBatch().equals(batches.get(0).shape().dropBatch())) {
                throw new InvalidInputException("the " + what + " files in " + path + " have different example shapes ("
                        + batches.get(0).shape() + " and " + t.shape() + "); give every example the model's input shape");
            }
        }
        return Tensor.concatRows(batches);
    }
}
