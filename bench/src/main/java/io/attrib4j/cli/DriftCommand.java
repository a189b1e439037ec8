package io.attrib4j.cli;

import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.serving.DriftHtml;
import io.attrib4j.serving.DriftMonitor;
import io.attrib4j.serving.DriftReport;
import io.attrib4j.serving.FeatureDrift;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code attrib4j drift}: explanation drift of a window against a reference, as JSON and HTML. */
@Command(name = "drift", mixinStandardHelpOptions = true,
        description = "Compares attribution distributions per feature (PSI, KS, stability); writes drift.json, "
                + "drift.html.")
final class DriftCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--reference", required = true, description = ".npy, rows = explanations, columns = features")
    Path reference;

    @Option(names = "--window", required = true, description = ".npy of the window, same columns")
    Path window;

    @Option(names = "--out", required = true, description = "output folder (created)")
    Path out;

    @Override
    public Integer call() {
        DriftReport report = DriftMonitor.builder().build().compare(rows(reference), rows(window));
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("drift.json"), report.toJson());
            Files.writeString(out.resolve("drift.html"), DriftHtml.render(report));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the drift report to " + out, e);
        }
        var drifted = report.features().stream().filter(FeatureDrift::drifted).map(FeatureDrift::name).toList();
        spec.commandLine().getOut().println((drifted.isEmpty() ? "no feature drifted" : "drifted: " + drifted)
                + "; wrote " + out.resolve("drift.html"));
        return 0;
    }

    private static float[][] rows(Path file) {
        Tensor t = Npy.read(file);
        if (t.shape().rank() != 2) {
            throw new InvalidInputException(file + " has shape " + t.shape() + "; give a 2-D array [explanations, "
                    + "features]");
        }
        float[][] r = new float[t.batch()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = t.row(i).data();
        }
        return r;
    }
}
