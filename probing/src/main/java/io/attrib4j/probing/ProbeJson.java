package io.attrib4j.probing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** JSON pieces shared by the probing reports. */
public final class ProbeJson {
    private ProbeJson() {}

    /** Adds {@code accuracy} and {@code macroF1}, each {@code {mean, low, high, folds: [...]}}, to {@code o}. */
    public static void putScores(ObjectNode o, CrossValidationResult r) {
        putInterval(o.putObject("accuracy"), r.accuracy(), r.foldAccuracy());
        putInterval(o.putObject("macroF1"), r.macroF1(), r.foldMacroF1());
    }

    private static void putInterval(ObjectNode o, ConfidenceInterval ci, double[] folds) {
        o.put("mean", ci.mean());
        o.put("low", ci.low());
        o.put("high", ci.high());
        var arr = o.putArray("folds");
        for (double v : folds) {
            arr.add(v);
        }
    }

    /** Writes pretty-printed JSON. */
    public static void write(Path file, JsonNode json) {
        try {
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
