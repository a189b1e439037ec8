package io.attrib4j.cli;

import io.attrib4j.engine.spec.MethodDocs;
import io.attrib4j.engine.spec.Methods;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code attrib4j methods}: every registered method with its options, types, defaults and meanings. */
@Command(name = "methods", mixinStandardHelpOptions = true,
        description = "List the attribution methods and their options (the names --method and specs take).")
final class MethodsCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "METHOD", description = "Methods to describe (default: all).")
    List<String> names;

    @Option(names = "--markdown", description = "Print the README's methods table.")
    boolean markdown;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (markdown) {
            out.print(MethodDocs.markdown());
        } else if (names == null || names.isEmpty()) {
            out.print(MethodDocs.text());
        } else {
            names.forEach(n -> out.println(MethodDocs.text(Methods.describe(n))));
        }
        out.flush();
        return 0;
    }
}
