package io.attrib4j.cli;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.recourse.FeatureSpace;
import io.attrib4j.recourse.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the recourse commands share: the model, the rows to explain, the training data, the output folder, and
 * running a method on each row. The methods themselves live in the recourse module; commands parse and print.
 */
abstract class TabularCommand implements Callable<Integer>, Main.Verbose {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "A model file (.pt, .onnx, SavedModel directory) or zoo name, giving one logit per class.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Rows to explain: .npy [rows, "
            + "features] or .csv (numbers, optional header of feature names).")
    Path input;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Training rows (.npy or .csv), for scales, bins and neighbours.")
    Path data;

    @Option(names = "--feature-names", paramLabel = "FILE",
            description = "Feature names, one a line (default: the CSV header of --data, else f0, f1, ...).")
    Path featureNames;

    @Option(names = "--class-names", split = ",", paramLabel = "NAME,...", description = "Names of the classes.")
    List<String> classNames;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created).")
    Path out;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    /** {@code method} applied to every input row, with the model loaded once. */
    <T> List<T> eachRow(FeatureSpace space, BiFunction<io.attrib4j.engine.model.ForwardModel, float[], T> method) {
        List<T> out = new ArrayList<>();
        try (io.attrib4j.models.LoadedModel loaded = io.attrib4j.models.Models.load(model)) {
            for (float[] row : rows(space)) {
                out.add(method.apply(loaded.model(), row));
            }
        }
        return out;
    }

    java.io.PrintWriter printer() {
        return spec.commandLine().getOut();
    }

    /** The training data with their names. */
    FeatureSpace space() {
        Tables.Table t = Tables.read(data);
        List<String> names = t.names();
        if (featureNames != null) {
            try {
                names = Files.readAllLines(featureNames).stream().filter(s -> !s.isBlank()).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + featureNames, e);
            }
        }
        FeatureSpace s = FeatureSpace.of(t.rows(), names);
        return classNames == null ? s : s.withClassNames(classNames);
    }

    /** The rows to explain, as arrays; checked against the data's width. */
    float[][] rows(FeatureSpace space) {
        Tables.Table t = Tables.read(input);
        if (t.rows().rowSize() != space.features()) {
            throw new InvalidInputException(input + " has " + t.rows().rowSize() + " columns but " + data + " has "
                    + space.features() + "; give rows with the training data's features");
        }
        float[][] r = new float[t.rows().batch()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = t.rows().row(i).data();
        }
        return r;
    }

    /** Writes {@code value} as pretty-printed JSON. */
    void writeJson(String file, Object value) {
        try {
            write(file, new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("result did not serialise", e);
        }
    }

    void write(String file, String text) {
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve(file), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out.resolve(file), e);
        }
    }
}
