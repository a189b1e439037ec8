package io.attrib4j.bench;

import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.ObservedBackend;

/**
 * Wraps a {@link Backend} so that every call passes through and the wall time spent in them adds up:
 * on {@code cuda} the kernels plus the host-device copies. Used by {@link IgKernelShareBenchmark} to
 * split an attribution's time into model, backend and the rest. Not thread-safe, like a method run.
 */
final class TimedBackend {
    private final Backend backend;
    private long nanos;

    TimedBackend(Backend delegate) {
        this.backend = ObservedBackend.of(delegate, delegate.name(), (operation, took) -> nanos += took);
    }

    /** The timed backend to hand to the method. */
    Backend backend() {
        return backend;
    }

    /** Nanoseconds spent in the delegate since the last call, then starts counting from 0 again. */
    long takeNanos() {
        long t = nanos;
        nanos = 0;
        return t;
    }
}
