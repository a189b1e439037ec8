package io.attrib4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.attrib4j.bench.sweep.SweepConfig;
import io.attrib4j.bench.sweep.SweepReport;
import io.attrib4j.bench.sweep.SweepRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attrib4j sweep --config sweep.yaml --out DIR}: methods x settings x models x inputs, resumable. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Runs an attribution sweep (models x methods x parameter grids x inputs) and writes cells.csv, "
                + "cells.jsonl, summary.json, plots/*.png and report.html. Re-running over the same --out skips "
                + "finished cells.")
final class SweepCommand implements Callable<Integer>, Main.Verbose {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, description = "sweep config, .yaml/.yml or .json")
    Path config;

    @Option(names = "--out", required = true, description = "output folder (created; reused to resume)")
    Path out;

    @Option(names = "--max-cells", defaultValue = "0",
            description = "stop after computing this many new cells (0: all); re-run to continue")
    int maxCells;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        SweepConfig cfg = SweepConfig.read(config);
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + out, e);
        }
        SweepRunner.Outcome o = new SweepRunner(cfg, out, maxCells).run();
        PrintWriter w = spec.commandLine().getOut();
        w.printf("sweep: %d cells, %d computed now, %d already done%n", o.totalCells(), o.computed(), o.skipped());
        if (!o.complete()) {
            w.println("sweep: stopped early (--max-cells); run the same command again to continue");
            return 0;
        }
        JsonNode summary = SweepReport.write(o.rows(), out);
        for (JsonNode e : summary.get("adaptiveIg")) {
            w.printf("adaptive IG on %s: fixed %s x50 = %.0f gradient evaluations, |delta| %.3g; adaptive %s = %s "
                    + "evaluations, |delta| %s%n", e.get("model").asText(), e.get("fixedRule").asText(),
                    e.get("fixedGradientEvaluations").asDouble(), e.get("fixedCompletenessError").asDouble(),
                    e.path("adaptiveSetting").asText("none"), e.path("adaptiveGradientEvaluations").asText("-"),
                    e.path("adaptiveCompletenessError").asText("-"));
        }
        w.println("sweep: wrote " + out.resolve("report.html"));
        return 0;
    }
}
