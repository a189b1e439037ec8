package io.attrib4j.cli;

import io.attrib4j.engine.export.Npy;
import io.attrib4j.recourse.Constraints;
import io.attrib4j.recourse.CounterfactualOptions;
import io.attrib4j.recourse.CounterfactualReport;
import io.attrib4j.recourse.CounterfactualResult;
import io.attrib4j.recourse.Counterfactuals;
import io.attrib4j.recourse.FeatureSpace;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code attrib4j counterfactual}: diverse counterfactuals of each input row under constraints; writes
 * {@code counterfactuals.npy} [rows, count, features], {@code counterfactuals.json} and {@code counterfactuals.html}.
 */
@Command(name = "counterfactual", mixinStandardHelpOptions = true, sortOptions = false,
        description = "What would have to change: k diverse counterfactuals per row (DiCE loss; Adam with gradients, "
                + "a genetic search without), under constraints.")
final class CounterfactualCommand extends TabularCommand {
    @Option(names = "--count", defaultValue = "3", description = "Counterfactuals per row (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--immutable", split = ",", paramLabel = "F,...",
            description = "Features that may not change, by index or name.")
    List<String> immutable;

    @Option(names = "--desired-class", defaultValue = "-1", paramLabel = "C",
            description = "Class to reach (default: the other class of a two-class model).")
    int desiredClass;

    @Option(names = "--constraints", paramLabel = "FILE", description = "Constraints YAML (ranges, directions, "
            + "steps, one-hot groups; see Constraints).")
    Path constraints;

    @Option(names = "--search", defaultValue = "AUTO", description = "auto, gradient or genetic (default: ${DEFAULT-VALUE}).")
    CounterfactualOptions.Search search;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the genetic search.")
    long seed;

    @Override
    public Integer call() {
        FeatureSpace space = space();
        Constraints c = constraints == null ? Constraints.none() : Constraints.fromYaml(constraints, space.names());
        if (immutable != null) {
            c = c.withImmutable(immutable, space.names());
        }
        Counterfactuals method = new Counterfactuals(CounterfactualOptions.builder().optCount(count).optSearch(search)
                .optSeed(seed).build());
        Constraints constraintSet = c;
        List<CounterfactualResult> results = eachRow(space,
                (m, row) -> method.explain(m, row, space, constraintSet, desiredClass));
        write("counterfactuals.json", CounterfactualReport.json(results));
        write("counterfactuals.html", CounterfactualReport.html(results));
        Npy.write(out.resolve("counterfactuals.npy"), CounterfactualReport.tensor(results, count,
                space.features()));
        var w = printer();
        for (int r = 0; r < results.size(); r++) {
            CounterfactualResult res = results.get(r);
            w.println("row " + r + ": " + res.message());
            res.counterfactuals().stream().findFirst().ifPresent(cf -> w.println("  " + cf.narrative()));
        }
        w.println("wrote counterfactuals.npy, counterfactuals.json, counterfactuals.html to " + out);
        return 0;
    }
}
