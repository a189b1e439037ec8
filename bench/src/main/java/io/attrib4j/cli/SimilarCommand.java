package io.attrib4j.cli;

import io.attrib4j.engine.export.Npy;
import io.attrib4j.recourse.FeatureSpace;
import io.attrib4j.recourse.SimilarCase;
import io.attrib4j.recourse.SimilarCases;
import io.attrib4j.recourse.SimilarCasesOptions;
import io.attrib4j.recourse.Tables;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code attrib4j similar}: the k nearest training rows of each input row; writes {@code similar.json}. */
@Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Which past cases look like this one: exact k nearest training rows, in input or layer space.")
final class SimilarCommand extends TabularCommand {
    @Option(names = "--labels", paramLabel = "FILE", description = "Labels of the --data rows (.npy, one per row).")
    Path labels;

    @Option(names = "--k", defaultValue = "5", description = "Cases per row (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--metric", defaultValue = "L2", description = "l2 or cosine (default: ${DEFAULT-VALUE}).")
    SimilarCasesOptions.Metric metric;

    @Option(names = "--layer", paramLabel = "NAME", description = "Search this layer's activation space.")
    String layer;

    @Override
    public Integer call() {
        FeatureSpace space = space();
        int[] l = null;
        if (labels != null) {
            float[] v = Npy.read(labels).data();
            l = new int[v.length];
            for (int i = 0; i < v.length; i++) {
                l[i] = Math.round(v[i]);
            }
        }
        SimilarCasesOptions o = SimilarCasesOptions.builder().optK(k).optMetric(metric).optLayer(layer).build();
        List<List<SimilarCase>> cases;
        try (io.attrib4j.models.LoadedModel loaded = io.attrib4j.models.Models.load(model)) {
            SimilarCases index = SimilarCases.index(loaded.model(), space.tensor(), l, o);
            cases = index.query(Tables.read(input).rows());
        }
        writeJson("similar.json", java.util.Map.of("options", o, "cases", cases));
        for (int r = 0; r < cases.size(); r++) {
            printer().println("row " + r + ": " + cases.get(r).stream()
                    .map(c -> "#" + c.index() + " (label " + c.label() + ", predicted " + c.prediction() + ")").toList());
        }
        printer().println("wrote similar.json to " + out);
        return 0;
    }
}
