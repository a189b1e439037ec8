package io.attrib4j.cli;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.models.zoo.StripesModel;
import io.attrib4j.probing.ActivationExtractor;
import io.attrib4j.probing.Tcav;
import io.attrib4j.probing.TcavResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code attrib4j tcav}: TCAV score of a concept for a class at a layer, with its t-test against random CAVs. */
@Command(name = "tcav", mixinStandardHelpOptions = true, sortOptions = false,
        description = "TCAV (Kim et al. 2018): the fraction of class inputs whose logit rises along the concept's "
                + "activation vector, over R random sets, with a two-sided t-test against random CAVs.")
final class TcavCommand implements Callable<Integer>, Main.Verbose {
    /** Class inputs the zoo:stripes model generates when no --input is given. */
    static final int STRIPES_CLASS_EXAMPLES = 50;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL", description = "zoo:stripes, zoo:patch or a file")
    String model;

    @Option(names = "--layer", required = true, paramLabel = "NAME", description = "layer of the CAVs")
    String layer;

    @Option(names = "--concept", required = true, paramLabel = "FILE|DIR",
            description = "concept examples (.npy, or a folder of .npy)")
    Path concept;

    @Option(names = "--random", required = true, paramLabel = "FILE|DIR",
            description = "random examples to draw random sets from (at least as many as the concept's)")
    Path random;

    @Option(names = "--class", required = true, paramLabel = "T", description = "the class (logit index) to test")
    int target;

    @Option(names = "--input", paramLabel = "FILE|DIR", description = "inputs of the class (zoo:stripes: generated)")
    Path input;

    @Option(names = "--random-sets", defaultValue = "10", description = "random sets R (default 10)")
    int randomSets;

    @Option(names = "--alpha", defaultValue = "0.05", description = "significance level (default 0.05)")
    double alpha;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the random-set draws (default 0)")
    long seed;

    @picocli.CommandLine.Mixin
    PoolingOption pooling;

    @Option(names = "--out", defaultValue = "tcav.json", paramLabel = "FILE", description = "JSON result")
    Path out;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        Tcav tcav = Tcav.builder().optRandomSets(randomSets).optAlpha(alpha).optSeed(seed)
                .optExtractor(ActivationExtractor.builder().optPooling(pooling.parse()).build()).build();
        Tensor conceptInputs = ProbeFiles.examples(concept, "concept");
        Tensor randomInputs = ProbeFiles.examples(random, "random");
        try (io.attrib4j.models.LoadedModel loaded = io.attrib4j.models.Models.load(model)) {
            Tensor classInputs;
            if (input != null) {
                classInputs = ProbeFiles.examples(input, "input");
            } else if (model.equals("zoo:stripes")) {
                classInputs = StripesModel.classImages(target, STRIPES_CLASS_EXAMPLES, seed + 1);
            } else {
                throw new InvalidOptionException("--input FILE|DIR is required: inputs of class " + target
                        + " (only zoo:stripes generates its own)");
            }
            TcavResult r = tcav.run(loaded.model(), layer, conceptInputs, randomInputs, classInputs,
                    Target.classIndex(target));
            PrintWriter w = spec.commandLine().getOut();
            w.printf("tcav: layer %s, %s, %d random sets%n", layer, r.target(), randomSets);
            w.printf("score %.4f, std %.4f (random CAVs: %.4f, std %.4f), p-value %.4g: %s at alpha %.3g%n", r.mean(),
                    r.std(), r.randomMean(), r.randomStd(), r.pValue(),
                    r.significant() ? "significant" : "not significant", alpha);
            w.println("tcav: uncorrected for multiple tests; divide alpha by the number of concepts/classes/layers");
            r.writeJson(out);
            w.println("tcav: wrote " + out);
            return 0;
        }
    }
}
