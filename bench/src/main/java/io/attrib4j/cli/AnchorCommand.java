package io.attrib4j.cli;

import io.attrib4j.recourse.Anchor;
import io.attrib4j.recourse.AnchorOptions;
import io.attrib4j.recourse.Anchors;
import io.attrib4j.recourse.FeatureSpace;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code attrib4j anchor}: an anchor rule per input row; writes {@code anchors.json} and prints the rules. */
@Command(name = "anchor", mixinStandardHelpOptions = true, sortOptions = false,
        description = "In which region does the prediction hold: an anchor (precision/coverage rule) per row.")
final class AnchorCommand extends TabularCommand {
    @Option(names = "--threshold", defaultValue = "0.95", description = "Precision to reach (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the draws.")
    long seed;

    @Override
    public Integer call() {
        FeatureSpace space = space();
        Anchors method = new Anchors(AnchorOptions.builder().optThreshold(threshold).optSeed(seed).build());
        List<Anchor> anchors = eachRow(space, (m, row) -> method.explain(m, row, space));
        writeJson("anchors.json", java.util.Map.of("options", method.options(), "anchors", anchors));
        for (int r = 0; r < anchors.size(); r++) {
            printer().println("row " + r + ": " + anchors.get(r).rule());
        }
        printer().println("wrote anchors.json to " + out);
        return 0;
    }
}
