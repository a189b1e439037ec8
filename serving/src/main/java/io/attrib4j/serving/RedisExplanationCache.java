package io.attrib4j.serving;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Explanation cache in Redis, shared by several replicas of a service: what one replica computed, the others
 * serve as {@link Source#CACHE}. Thread-safe (a pooled client).
 *
 * <p>Each entry lives under {@code PREFIX + modelHash + ":" + sha256(methodKey + input hash)} with the
 * configured time to live ({@code PSETEX}); the value is the attribution with its convergence delta and
 * provenance ({@link ExplanationCodec}: JSON with bit-exact base64 float32 arrays). The model's content hash
 * is part of the Redis key, so a new model version never reads an old version's entries, and an operator can
 * drop one version's entries with {@code SCAN MATCH PREFIX<hash>:*}.
 *
 * <p>Redis is an optimisation, never a dependency of the answer: a connection error, a timeout or an
 * unreadable entry is a miss (reads) or a dropped write, logged once as a WARN when the cache starts failing
 * and once as INFO when it recovers. After {@code failureThreshold} consecutive errors the cache stops trying
 * for the cool-down of its circuit breaker (default 3 errors, 5 s), so a Redis that is down costs requests
 * nothing but the occasional trial.
 *
 * <p>Use it when several server replicas sit behind a load balancer; a single process is better served by
 * the in-process {@link ExplanationCache}.
 */
public final class RedisExplanationCache implements ExplanationStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RedisExplanationCache.class);

    private final JedisPooled redis;
    private final String where;
    private final String prefix;
    private final long timeToLiveMillis;
    private final CircuitBreaker breaker;
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong errors = new AtomicLong();

    private RedisExplanationCache(Builder b) {
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(b.maxConnections);
        pool.setMaxIdle(b.maxConnections);
        pool.setMaxWait(b.timeout); // a request never waits long for a connection
        int timeoutMillis = Math.toIntExact(b.timeout.toMillis());
        this.redis = new JedisPooled(pool, b.uri, timeoutMillis, timeoutMillis);
        this.where = b.uri.getHost() + ":" + b.uri.getPort();
        this.prefix = b.keyPrefix;
        this.timeToLiveMillis = b.timeToLive.toMillis();
        this.breaker = new CircuitBreaker(b.breakerPolicy, Clock.systemUTC());
    }

    /**
     * A builder; {@link Builder#setUri} is required. Defaults: one hour to live, key prefix
     * {@code attrib4j:explanation:}, 200 ms timeout, 16 connections.
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Attribution> get(Key key) {
        if (!breaker.tryAcquire()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = redis.get(redisKey(key));
        } catch (JedisException e) {
            failed("read", e);
            return Optional.empty();
        }
        succeeded();
        if (bytes == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ExplanationCodec.decode(bytes));
        } catch (IllegalArgumentException e) { // another version's format, or a foreign value: recompute
            errors.incrementAndGet();
            LOG.warn("ignoring the cached explanation under {} in Redis {}: {}; it is recomputed and overwritten",
                    new String(redisKey(key), StandardCharsets.UTF_8), where, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void put(Key key, Attribution attribution) {
        if (!breaker.tryAcquire()) {
            return;
        }
        try {
            redis.psetex(redisKey(key), timeToLiveMillis, ExplanationCodec.encode(attribution));
            succeeded();
        } catch (JedisException e) {
            failed("write", e);
        }
    }

    /** Errors since start (connection, timeout, unreadable entry): each one a request served without the cache. */
    public long errors() {
        return errors.get();
    }

    /** The Redis key of {@code key}: the model hash in clear, then a digest of method options and input. */
    byte[] redisKey(Key key) {
        return (prefix + key.modelHash() + ":" + io.attrib4j.engine.ContentHash.sha256Hex(key.methodKey() + "\n" + key.inputHash()))
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Milliseconds {@code key} has left to live in Redis: -2 when absent (for tests and operators). */
    long millisToLive(Key key) {
        return redis.pttl(redisKey(key));
    }

    /** Closes the connection pool; the entries stay in Redis until their time to live ends. */
    @Override
    public void close() {
        redis.close();
    }

    @Override
    public String toString() {
        return "Redis explanation cache at " + where;
    }

    private void failed(String what, JedisException e) {
        errors.incrementAndGet();
        breaker.onFailure();
        if (failing.compareAndSet(false, true)) {
            LOG.warn("Redis explanation cache at {} failed to {} ({}); serving without the cache until it answers "
                    + "again: check that Redis runs and is reachable, or start the server with the in-process cache",
                    where, what, e.toString());
        } else {
            LOG.debug("Redis explanation cache at {} failed to {}: {}", where, what, e.toString());
        }
    }

    private void succeeded() {
        breaker.onSuccess();
        if (failing.compareAndSet(true, false)) {
            LOG.info("Redis explanation cache at {} answers again after {} errors in all", where, errors.get());
        }
    }

    /** Options of {@link RedisExplanationCache}; {@link #build()} validates them and connects lazily. */
    public static final class Builder {
        private URI uri;
        private Duration timeToLive = Duration.ofHours(1);
        private String keyPrefix = "attrib4j:explanation:";
        private Duration timeout = Duration.ofMillis(200);
        private int maxConnections = 16;
        private CircuitBreakerPolicy breakerPolicy = CircuitBreakerPolicy.builder().optFailureThreshold(3)
                .optCoolDown(Duration.ofSeconds(5)).build();

        private Builder() {}

        /**
         * The server, as {@code redis://[user:password@]host:port[/db]} ({@code rediss://} for TLS) (required).
         *
         * @throws InvalidOptionException when {@code uri} is not such a URI
         */
        public Builder setUri(String uri) {
            try {
                this.uri = uri == null ? null : new URI(uri);
            } catch (URISyntaxException e) {
                throw badUri(uri);
            }
            return this;
        }

        /** How long an entry lives in Redis; default one hour. */
        public Builder optTimeToLive(Duration timeToLive) {
            this.timeToLive = timeToLive;
            return this;
        }

        /** The prefix of every key, to share a Redis with other data; default {@code attrib4j:explanation:}. */
        public Builder optKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        /** Connect, read and pool-wait timeout of each Redis call; default 200 ms. */
        public Builder optTimeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** Connections in the pool; default 16. */
        public Builder optMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** When to stop trying a failing Redis and for how long; default after 3 errors, for 5 s. */
        public Builder optBreakerPolicy(CircuitBreakerPolicy breakerPolicy) {
            this.breakerPolicy = breakerPolicy;
            return this;
        }

        public RedisExplanationCache build() {
            if (uri == null || uri.getHost() == null || uri.getPort() < 1
                    || !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
                throw badUri(uri == null ? null : uri.toString());
            }
            if (timeToLive == null || timeToLive.toMillis() < 1) {
                throw new InvalidOptionException("Redis cache time to live is " + timeToLive
                        + "; use a positive duration of at least 1 ms, such as Duration.ofHours(1)");
            }
            if (timeout == null || timeout.toMillis() < 1 || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new InvalidOptionException("Redis cache timeout is " + timeout
                        + "; use a positive duration such as Duration.ofMillis(200)");
            }
            if (keyPrefix == null || maxConnections < 1 || breakerPolicy == null) {
                throw new InvalidOptionException("Redis cache key prefix " + keyPrefix + ", " + maxConnections
                        + " connections: give a prefix (may be empty), at least one connection and a breaker policy");
            }
            return new RedisExplanationCache(this);
        }

        private static InvalidOptionException badUri(String uri) {
            return new InvalidOptionException("Redis cache URI is " + uri + "; give redis://host:port (such as "
                    + "redis://127.0.0.1:6379), with user:password@ and /db if needed, or rediss:// for TLS");
        }
    }
}
