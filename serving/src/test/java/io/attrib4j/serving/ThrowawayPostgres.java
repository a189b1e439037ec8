package io.attrib4j.serving;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server for the audit-store tests, on 127.0.0.1 only: the one named by
 * {@code ATTRIB4J_PG_URL}, or else a throw-away cluster started from Debian's server binaries
 * ({@code apt-get install postgresql}) in a temporary directory and stopped when the test ends.
 * {@link #start()} says why not when neither is possible, so the test can skip with that reason.
 */
final class ThrowawayPostgres implements AutoCloseable {
    private final String url;
    private final Path dataDir;
    private final List<String> runAs;
    private final Path pgCtl;
    private final String options;

    private ThrowawayPostgres(String url, Path dataDir, List<String> runAs, Path pgCtl, String options) {
        this.url = url;
        this.dataDir = dataDir;
        this.runAs = runAs;
        this.pgCtl = pgCtl;
        this.options = options;
    }

    /** Stops the throw-away server (an outage); {@link #startAgain()} brings it back on the same port. */
    void stop() throws IOException {
        run(with(runAs, pgCtl.toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
    }

    void startAgain() throws IOException {
        run(with(runAs, pgCtl.toString(), "-D", dataDir.toString(), "-l", dataDir.resolveSibling("log").toString(),
                "-w", "-o", options, "start"));
    }

    /** Whether {@link #stop()} is possible (a server this test started, not one named by ATTRIB4J_PG_URL). */
    boolean ownsServer() {
        return dataDir != null;
    }

    String url() {
        return url;
    }

    /** A server, or the reason there is none. */
    static Result start() {
        String given = System.getenv("ATTRIB4J_PG_URL");
        if (given != null) {
            return new Result(new ThrowawayPostgres(given, null, List.of(), null, null), null);
        }
        Optional<Path> bin = serverBinaries();
        if (bin.isEmpty()) {
            return new Result(null, "no PostgreSQL server: set ATTRIB4J_PG_URL, or install Debian's postgresql "
                    + "(initdb and pg_ctl under /usr/lib/postgresql/*/bin) so the test can start one on 127.0.0.1");
        }
        try {
            Path dir = Files.createTempDirectory("attrib4j-pg");
            List<String> runAs = new ArrayList<>();
            if ("root".equals(System.getProperty("user.name"))) { // initdb refuses to run as root
                run(List.of("chown", "postgres", dir.toString()));
                runAs.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path data = dir.resolve("data");
            run(with(runAs, bin.get().resolve("initdb").toString(), "-D", data.toString(), "-U", "attrib4j",
                    "--auth=trust"));
            Path pgCtl = bin.get().resolve("pg_ctl");
            String options = "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir;
            run(with(runAs, pgCtl.toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w", "-o",
                    options, "start"));
            return new Result(new ThrowawayPostgres("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=attrib4j",
                    data, runAs, pgCtl, options), null);
        } catch (IOException | IllegalStateException e) {
            return new Result(null, "could not start a throw-away PostgreSQL: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (dataDir != null) {
            try {
                run(with(runAs, pgCtl.toString(), "-D", dataDir.toString(), "-m", "fast", "stop"));
            } catch (IOException | IllegalStateException e) {
                System.out.println("could not stop the throw-away PostgreSQL in " + dataDir + ": " + e.getMessage());
            }
        }
    }

    /** Either a server or why there is none. */
    record Result(ThrowawayPostgres server, String whyNot) {}

    private static Optional<Path> serverBinaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<String> with(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
