package io.attrib4j.cli;

import io.attrib4j.recourse.Anchor;
import io.attrib4j.recourse.AnchorOptions;
import io.attrib4j.recourse.Anchors;
import io.attrib4j.recourse.FeatureSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attrib4j anchor}: an anchor rule per input row; writes {@code anchors.json} and prints the rules. */
@Command(name = "anchor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "In which region does the prediction hold: an anchor (precision/coverage rule) per row.")
final class AnchorCommand implements Callable<Integer>, Main.Verbose {
    @Spec
    CommandSpec spec;

    @Mixin
    TabularOptions tabular;

    @Option(names = "--threshold", defaultValue = "0.95", description = "Precision to reach (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the draws.")
    long seed;

    @Option(names = "--verbose", description = "Print stack traces.")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        FeatureSpace space = tabular.space();
        Anchors method = new Anchors(AnchorOptions.builder().optThreshold(threshold).optSeed(seed).build());
        List<Anchor> anchors = new ArrayList<>();
        try (ModelLoader.Loaded loaded = ModelLoader.load(tabular.model, null)) {
            for (float[] row : tabular.rows(space)) {
                anchors.add(method.explain(loaded.model(), row, space));
            }
        }
        tabular.writeJson("anchors.json", java.util.Map.of("options", method.options(), "anchors", anchors));
        for (int r = 0; r < anchors.size(); r++) {
            spec.commandLine().getOut().println("row " + r + ": " + anchors.get(r).rule());
        }
        spec.commandLine().getOut().println("wrote anchors.json to " + tabular.out);
        return 0;
    }
}
