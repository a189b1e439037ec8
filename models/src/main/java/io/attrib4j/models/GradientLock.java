package io.attrib4j.models;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one lock around DJL's gradient collector. DJL's PyTorch engine allows a single
 * {@link ai.djl.training.GradientCollector} per process at a time (a second one throws), so every
 * backward pass attrib4j runs through DJL (model gradients, in-process training in the zoo) holds this
 * lock. Plain forward passes do not need it.
 */
public final class GradientLock {
    private static final ReentrantLock LOCK = new ReentrantLock();

    private GradientLock() {}

    /** Runs {@code work} while holding the lock; reentrant, so nested calls on one thread are fine. */
    public static <T> T run(Supplier<T> work) {
        LOCK.lock();
        try {
            return work.get();
        } finally {
            LOCK.unlock();
        }
    }
}
