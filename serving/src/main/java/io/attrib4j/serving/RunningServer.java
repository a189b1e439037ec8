package io.attrib4j.serving;

import java.util.ArrayList;
import java.util.List;

/** A server started from a {@link ServeConfig}, with everything it opened; closing it closes all of them. */
public final class RunningServer implements AutoCloseable {
    private final ExplanationServer server;
    private final List<AutoCloseable> owned;

    RunningServer(ExplanationServer server, List<AutoCloseable> owned) {
        this.server = server;
        this.owned = new ArrayList<>(owned);
    }

    /** The port the server listens on. */
    public int port() {
        return server.port();
    }

    /** Stops the server, then closes the explainers, models, cache and audit store. */
    @Override
    public synchronized void close() {
        closeAll(owned);
    }

    static void closeAll(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) { // closing everything else matters more
                System.err.println("attrib4j: while stopping: " + e);
            }
        }
        owned.clear();
    }
}
