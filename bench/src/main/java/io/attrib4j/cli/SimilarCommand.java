package io.attrib4j.cli;

import io.attrib4j.engine.export.Npy;
import io.attrib4j.recourse.FeatureSpace;
import io.attrib4j.recourse.SimilarCase;
import io.attrib4j.recourse.SimilarCases;
import io.attrib4j.recourse.SimilarCasesOptions;
import io.attrib4j.recourse.Tables;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attrib4j similar}: the k nearest training rows of each input row; writes {@code similar.json}. */
@Command(name = "similar", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Which past cases look like this one: exact k nearest training rows, in input or layer space.")
final class SimilarCommand implements Callable<Integer>, Main.Verbose {
    @Spec
    CommandSpec spec;

    @Mixin
    TabularOptions tabular;

    @Option(names = "--labels", paramLabel = "FILE", description = "Labels of the --data rows (.npy, one per row).")
    Path labels;

    @Option(names = "--k", defaultValue = "5", description = "Cases per row (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--metric", defaultValue = "L2", description = "l2 or cosine (default: ${DEFAULT-VALUE}).")
    SimilarCasesOptions.Metric metric;

    @Option(names = "--layer", paramLabel = "NAME", description = "Search this layer's activation space.")
    String layer;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        FeatureSpace space = tabular.space();
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
        try (ModelLoader.Loaded loaded = ModelLoader.load(tabular.model, null)) {
            SimilarCases index = SimilarCases.index(loaded.model(), space.tensor(), l, o);
            cases = index.query(Tables.read(tabular.input).rows());
        }
        tabular.writeJson("similar.json", java.util.Map.of("options", o, "cases", cases));
        for (int r = 0; r < cases.size(); r++) {
            spec.commandLine().getOut().println("row " + r + ": " + cases.get(r).stream()
                    .map(c -> "#" + c.index() + " (label " + c.label() + ", predicted " + c.prediction() + ")").toList());
        }
        spec.commandLine().getOut().println("wrote similar.json to " + tabular.out);
        return 0;
    }
}
