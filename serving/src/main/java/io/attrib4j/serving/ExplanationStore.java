package io.attrib4j.serving;

import io.attrib4j.engine.Attribution;
import java.util.Optional;

/**
 * Where an {@link Explainer} keeps explanations it may serve again ({@link Source#CACHE}). Keys carry the
 * model's content hash, so a new model version never reads an old version's entries. Implementations are
 * thread-safe, and a store that cannot answer (a cache server down) reports a miss and drops the write
 * rather than failing the request.
 *
 * <p>{@link ExplanationCache} (in-process, the default) and {@link RedisExplanationCache} (shared by several
 * replicas) implement it; {@link #none()} caches nothing.
 */
public interface ExplanationStore {

    /**
     * What makes two explanations interchangeable.
     *
     * @param modelHash SHA-256 of the model content
     * @param methodKey method name and options ({@link FallbackStep#methodKey()})
     * @param inputHash SHA-256 of the input bytes and target ({@link Hashing#inputHash})
     */
    record Key(String modelHash, String methodKey, String inputHash) {}

    /** The explanation stored under {@code key}, or empty (never stored, expired, or the store unavailable). */
    Optional<Attribution> get(Key key);

    /** Stores {@code attribution} under {@code key}; a store that cannot write drops it. */
    void put(Key key, Attribution attribution);

    /** A store that keeps nothing: every request is computed. */
    static ExplanationStore none() {
        return new ExplanationStore() {
            @Override
            public Optional<Attribution> get(Key key) {
                return Optional.empty();
            }

            @Override
            public void put(Key key, Attribution attribution) {}

            @Override
            public String toString() {
                return "no cache";
            }
        };
    }
}
