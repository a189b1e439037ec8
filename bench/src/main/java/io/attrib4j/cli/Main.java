package io.attrib4j.cli;

import io.attrib4j.engine.AttributionException;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.InvalidTargetException;
import io.attrib4j.engine.ModelLoadException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code attrib4j} command line: {@code explain} one model's predictions, or run the built-in
 * {@code demo}.
 *
 * <p>Exit codes: 0 success; {@value #EXIT_USAGE} for a usage error or bad input (unknown option,
 * missing or unreadable file, NaN in the input, target out of range, invalid option value);
 * {@value #EXIT_FAILURE} when the model or backend fails. Errors print one message on standard error;
 * the stack trace only with {@code --verbose}.
 */
@Command(name = "attrib4j", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Explains neural-network predictions: attributions, heatmaps, provenance.",
        subcommands = {ExplainCommand.class, DemoCommand.class, CompareCommand.class, SweepCommand.class,
            ProbeCommand.class, TcavCommand.class, ServeCommand.class, AuditCommand.class, DriftCommand.class,
            MethodsCommand.class, CounterfactualCommand.class, AnchorCommand.class, SimilarCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Usage error or bad input. */
    public static final int EXIT_USAGE = 2;
    /** The model, the backend or the file system failed. */
    public static final int EXIT_FAILURE = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line with the given streams; returns the exit code (for tests and embedding). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true"); // never download, never phone home
        }
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            // JavaCPP's own logger prints ND4J's known, harmless javacpp/openblas version note on stderr;
            // through slf4j it obeys simplelogger.properties (Loader: errors only).
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        CommandLine cli = new CommandLine(new Main())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(new UsageErrors())
                .setExecutionExceptionHandler(new Failures());
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Commands that can be asked for stack traces. */
    interface Verbose {
        boolean verbose();
    }

    /** Picocli's parse errors: the message and where to find help, exit code 2. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException ex, String[] args) {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("attrib4j: " + ex.getMessage());
            err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for the options.");
            return EXIT_USAGE;
        }
    }

    /** Errors raised while a command runs: one line on standard error, the trace only when verbose. */
    static final class Failures implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
            PrintWriter err = cmd.getErr();
            boolean verbose = cmd.getCommand() instanceof Verbose v && v.verbose();
            int code;
            if (ex instanceof AttributionException) {
                err.println("attrib4j: " + kind(ex) + ": " + ex.getMessage());
                code = isBadInput(ex) ? EXIT_USAGE : EXIT_FAILURE;
            } else if (ex instanceof UncheckedIOException io) {
                err.println("attrib4j: I/O error: " + io.getMessage() + ": " + io.getCause().getMessage());
                code = EXIT_FAILURE;
            } else {
                err.println("attrib4j: unexpected error: " + ex + (verbose ? "" : " (run with --verbose for details)"));
                code = EXIT_FAILURE;
            }
            if (verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return code;
        }

        private static boolean isBadInput(Exception ex) {
            return ex instanceof InvalidInputException || ex instanceof InvalidTargetException
                    || ex instanceof InvalidOptionException || ex instanceof ModelLoadException;
        }

        private static String kind(Exception ex) {
            if (ex instanceof InvalidInputException) {
                return "invalid input";
            }
            if (ex instanceof InvalidTargetException) {
                return "invalid target";
            }
            if (ex instanceof InvalidOptionException) {
                return "invalid option";
            }
            if (ex instanceof ModelLoadException) {
                return "cannot load model";
            }
            return "error";
        }
    }

    /** {@code --version}: attrib4j's version from the build. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"attrib4j " + io.attrib4j.engine.Version.get()};
        }
    }
}
