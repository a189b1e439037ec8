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
