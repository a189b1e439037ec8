package io.attrib4j.recourse;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Tabular rows from a file: a 2-D {@code .npy}, or a CSV of numbers with an optional header of feature names. */
public final class Tables {
    private Tables() {}

    /**
     * The rows of a file and, for a CSV with a header, the feature names.
     *
     * @param rows [n, d]
     * @param names the header's names, or {@code null}
     */
    public record Table(Tensor rows, List<String> names) {}

    /**
     * Reads {@code .npy} (2-D, or 1-D as one row) or {@code .csv}.
     *
     * @throws InvalidInputException for a ragged or non-numeric CSV, or an array that is not 1-D or 2-D
     */
    public static Table read(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return csv(file);
        }
        Tensor t = Npy.read(file);
        if (t.shape().rank() == 1) {
            return new Table(t.reshape(io.attrib4j.engine.Shape.of(1, t.size())), null);
        }
        if (t.shape().rank() != 2) {
            throw new InvalidInputException(file + " has shape " + t.shape() + "; give rows as a 2-D array [rows, features]");
        }
        return new Table(t, null);
    }

    private static Table csv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (lines.isEmpty()) {
            throw new InvalidInputException(file + " is empty; give one row per line");
        }
        List<String> names = null;
        int first = 0;
        String[] head = lines.get(0).split(",", -1);
        if (!isNumber(head[0].trim())) {
            names = Arrays.stream(head).map(String::trim).toList();
            first = 1;
        }
        int d = head.length;
        List<float[]> rows = new ArrayList<>();
        for (int i = first; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != d) {
                throw new InvalidInputException(file + " line " + (i + 1) + " has " + cells.length + " cells, the first "
                        + "line " + d + "; give every row the same columns");
            }
            float[] r = new float[d];
            for (int j = 0; j < d; j++) {
                String c = cells[j].trim();
                if (!isNumber(c)) {
                    throw new InvalidInputException(file + " line " + (i + 1) + " column " + (j + 1) + " is '" + c
                            + "', not a number; encode categories as numbers or one-hot columns first");
                }
                r[j] = Float.parseFloat(c);
            }
            rows.add(r);
        }
        if (rows.isEmpty()) {
            throw new InvalidInputException(file + " has a header but no rows");
        }
        return new Table(FeatureSpace.stack(rows), names);
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
