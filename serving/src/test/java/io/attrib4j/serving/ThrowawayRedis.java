package io.attrib4j.serving;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A Redis server for the cache tests, on 127.0.0.1 only: the one named by {@code ATTRIB4J_REDIS_URL}, or else
 * a throw-away {@code redis-server} (Debian's package, {@code apt-get install redis-server}) on a free port
 * with no persistence and a temporary working directory, stopped when the test ends. {@link #start()} says why
 * not when neither is possible, so the test can fail with that reason and the fix.
 */
final class ThrowawayRedis implements AutoCloseable {
    private final String url;
    private final Process process;

    private ThrowawayRedis(String url, Process process) {
        this.url = url;
        this.process = process;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    String url() {
        return url;
    }

    /** A server, or the reason there is none. */
    static Result start() {
        String given = System.getenv("ATTRIB4J_REDIS_URL");
        if (given != null) {
            return new Result(new ThrowawayRedis(given, null), null);
        }
        Optional<Path> bin = serverBinary();
        if (bin.isEmpty()) {
            return new Result(null, "no redis-server: set ATTRIB4J_REDIS_URL, or install Debian's redis-server "
                    + "(apt-get install redis-server) so the test can start one on 127.0.0.1");
        }
        Process p = null;
        try {
            Path dir = Files.createTempDirectory("attrib4j-redis");
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            p = new ProcessBuilder(List.of(bin.get().toString(), "--port", Integer.toString(port), "--bind",
                    "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
            awaitPing(p, port, dir);
            return new Result(new ThrowawayRedis("redis://127.0.0.1:" + port, p), null);
        } catch (IOException | IllegalStateException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            return new Result(null, "could not start a throw-away redis-server: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy(); // SIGTERM: redis-server shuts down (nothing to save)
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Either a server or why there is none. */
    record Result(ThrowawayRedis server, String whyNot) {}

    private static void awaitPing(Process p, int port, Path dir) throws IOException {
        // generous: a loaded CI machine may take seconds to start a process; this waits, it does not time anything
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            if (!p.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + p.exitValue() + ": "
                        + Files.readString(dir.resolve("log")).strip());
            }
            try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(jedis.ping())) {
                    return;
                }
            } catch (JedisException e) {
                // not listening yet
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for redis-server", e);
            }
        }
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING within 60 s");
    }

    private static Optional<Path> serverBinary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin");
        try (Stream<String> dirs = Stream.concat(Stream.of(path.split(":")), Stream.of("/usr/bin", "/usr/sbin"))) {
            return dirs.filter(d -> !d.isEmpty()).map(d -> Path.of(d, "redis-server")).filter(Files::isExecutable)
                    .findFirst();
        }
    }
}
