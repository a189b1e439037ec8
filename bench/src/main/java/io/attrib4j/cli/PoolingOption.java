package io.attrib4j.cli;

import io.attrib4j.probing.Pooling;
import picocli.CommandLine.Option;

/** The {@code --pooling} option of the {@code probe} and {@code tcav} commands. */
final class PoolingOption {
    @Option(names = "--pooling", defaultValue = "flatten", paramLabel = "P",
            description = "how a layer's activation becomes a row: flatten, mean-spatial, mean-tokens or token:N "
                    + "(default flatten)")
    String pooling;

    Pooling parse() {
        return Pooling.parse(pooling);
    }
}
