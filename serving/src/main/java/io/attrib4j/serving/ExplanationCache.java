package io.attrib4j.serving;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.InvalidOptionException;
import java.time.Duration;
import java.util.Optional;

/**
 * In-process explanation cache (Caffeine), bounded in size with a time to live. Keys carry the model's
 * content hash, so a new model version never reads an old version's entries; several explainers (model
 * versions) may share one cache. Thread-safe. For several replicas sharing their explanations, use
 * {@link RedisExplanationCache}.
 */
public final class ExplanationCache implements ExplanationStore {

    private final Cache<Key, Attribution> cache;

    private ExplanationCache(Builder b) {
        this.cache = Caffeine.newBuilder().maximumSize(b.maximumSize).expireAfterWrite(b.timeToLive).build();
    }

    /** Defaults: 10,000 entries, one hour. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Optional<Attribution> get(Key key) {
        return Optional.ofNullable(cache.getIfPresent(key));
    }

    @Override
    public void put(Key key, Attribution attribution) {
        cache.put(key, attribution);
    }

    /** Approximate number of entries. */
    public long size() {
        return cache.estimatedSize();
    }

    /** Options of {@link ExplanationCache}; {@link #build()} validates them. */
    public static final class Builder {
        private long maximumSize = 10_000;
        private Duration timeToLive = Duration.ofHours(1);

        private Builder() {}

        public Builder optMaximumSize(long maximumSize) {
            this.maximumSize = maximumSize;
            return this;
        }

        public Builder optTimeToLive(Duration timeToLive) {
            this.timeToLive = timeToLive;
            return this;
        }

        public ExplanationCache build() {
            if (maximumSize < 0) {
                throw new InvalidOptionException("cache maximum size is " + maximumSize
                        + "; use 0 (no caching) or more entries");
            }
            if (timeToLive == null || timeToLive.isNegative() || timeToLive.isZero()) {
                throw new InvalidOptionException("cache time to live is " + timeToLive
                        + "; use a positive duration such as Duration.ofHours(1)");
            }
            return new ExplanationCache(this);
        }
    }
}
