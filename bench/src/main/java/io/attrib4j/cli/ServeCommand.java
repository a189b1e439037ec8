package io.attrib4j.cli;

import io.attrib4j.serving.RunningServer;
import io.attrib4j.serving.ServeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


/**
 * {@code attrib4j serve}: the HTTP API over models named at start-up, from {@code --model} or a YAML/JSON
 * config ({@link ServeConfig} documents its fields; chains are method specs). Runs until interrupted (Ctrl-C),
 * then closes the server, explainers, models and audit store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serves predictions with explanations over "
        + "HTTP, every answer audited.")
final class ServeCommand implements Callable<Integer>, Main.Verbose {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "serve.yaml (or .json); the options below override it")
    Path config;

    @Option(names = "--model", description = "one model to serve (zoo:patch, .pt, .onnx, SavedModel directory)")
    String model;

    @Option(names = "--port", description = "port (default 8080; 0 for any free port)")
    Integer port;

    @Option(names = "--host", description = "interface to listen on (default 127.0.0.1)")
    String host;

    @Option(names = "--audit-db", description = "H2 file path or JDBC URL (default ./attrib4j-audit)")
    String auditDb;

    @Option(names = "--signing-key", description = "sign audit checkpoints with this Ed25519 key (attrib4j audit "
            + "keygen); config signingKey:")
    String signingKey;

    @Option(names = "--checkpoint-log", description = "where signed checkpoints go (default: the H2 file + "
            + ".checkpoints.jsonl); keep it apart from the database; config checkpointLog:")
    String checkpointLog;

    @Option(names = "--cache", description = "explanation cache: memory (default, in-process), none, or "
            + "redis://host:port[/db] shared by several replicas (Redis errors degrade to no cache)")
    String cache;

    @Option(names = "--api-key", description = "require this X-API-Key header")
    String apiKey;

    @Option(names = "--verbose", description = "print stack traces of errors")
    boolean verbose;

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServeConfig c = config == null ? new ServeConfig() : ServeConfig.read(config);
        if (model != null) {
            c.models = List.of(ServeConfig.ModelConfig.of(model));
        }
        c.port = first(port, c.port);
        c.host = first(host, c.host);
        c.auditDb = first(auditDb, c.auditDb);
        c.cache = first(cache, c.cache);
        c.signingKey = first(signingKey, c.signingKey);
        c.checkpointLog = first(checkpointLog, c.checkpointLog);
        c.apiKey = first(apiKey, c.apiKey);
        RunningServer server = c.start();
        CountDownLatch stopped = new CountDownLatch(1);
        spec.commandLine().getOut().println("serving on http://" + (c.host == null ? "127.0.0.1" : c.host) + ":"
                + server.port() + " (Ctrl-C to stop)");
        spec.commandLine().getOut().flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    private static <T> T first(T option, T config) {
        return option != null ? option : config;
    }
}
