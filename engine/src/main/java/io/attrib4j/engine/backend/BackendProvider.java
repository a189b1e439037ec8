package io.attrib4j.engine.backend;

/**
 * How a backend makes itself known to {@link Backends} through {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.attrib4j.engine.backend.BackendProvider}).
 */
public interface BackendProvider {

    /** The name users choose it by ("cpu", "cuda"). */
    String id();

    /** Higher ranks win in automatic selection: a working GPU backend outranks the CPU one. */
    int rank();

    /** Why this backend cannot run here, or {@code null} when it can. Must not throw. */
    String unavailableReason();

    /** Creates the backend; only called when {@link #unavailableReason()} is {@code null}. */
    Backend create();
}
