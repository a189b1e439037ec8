package io.attrib4j.serving;

import io.attrib4j.engine.Shape;
import io.attrib4j.testkit.ToyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The server process of {@link AuditCrashTest}: the linear toy model behind a server on a free port, audited to
 * {@code args[0]} (an H2 file or a JDBC URL) with checkpoints signed by {@code args[1]} into {@code args[2]}; the
 * port is written to {@code args[3]} once it listens. Runs until killed; a SIGTERM closes it cleanly.
 */
public final class CrashTestServer {
    private CrashTestServer() {}

    /** Starts one in {@code dir} on {@code db}, key {@code dir/keys/audit.key}; its files carry {@code name}. */
    static Process start(Path dir, String db, Path checkpoints, String name) throws java.io.IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CrashTestServer.class.getName(), db,
                dir.resolve("keys/audit.key").toString(), checkpoints.toString(), dir.resolve("port-" + name).toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("server-" + name + ".log").toFile()).start();
    }

    /** The port of the server {@link #start} started, once it listens. */
    static int port(Path dir, String name, Process server) throws Exception {
        Path file = dir.resolve("port-" + name);
        for (int i = 0; i < 1200 && !Files.exists(file); i++) {
            if (!server.isAlive()) {
                throw new AssertionError("server " + name + " died: " + log(dir, name));
            }
            Thread.sleep(100);
        }
        if (!Files.exists(file)) {
            throw new AssertionError("server " + name + " did not start within 2 minutes: " + log(dir, name));
        }
        return Integer.parseInt(Files.readString(file).strip());
    }

    static String log(Path dir, String name) {
        try {
            return Files.readString(dir.resolve("server-" + name + ".log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    public static void main(String[] args) throws Exception {
        AuditTrail audit = ServeConfig.openAudit(args[0]).startSigning(Checkpoint.readPrivateKey(Path.of(args[1])),
                CheckpointLog.open(Path.of(args[2])));
        Explainer explainer = Explainer.builder().setModel(ToyModels.linear(ExplainerTest.W, ExplainerTest.C))
                .optChain(List.of(FakeMethod.fast("grad").step())).optWorkers(2).optQueueCapacity(256).build();
        ExplanationServer server = ExplanationServer.builder().setAuditTrail(audit).optPort(0)
                .addModel(ServedModel.of("m", Shape.of(4), explainer)).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RunningServer.closeAll(new java.util.ArrayList<>(
                List.of(server, explainer, audit)))));
        Path port = Path.of(args[3]);
        Files.writeString(port.resolveSibling(port.getFileName() + ".tmp"), Integer.toString(server.port()));
        Files.move(port.resolveSibling(port.getFileName() + ".tmp"), port);
        Thread.currentThread().join();
    }
}
