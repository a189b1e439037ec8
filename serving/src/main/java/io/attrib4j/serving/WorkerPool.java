package io.attrib4j.serving;

import io.attrib4j.engine.ModelExecutionException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The {@link Explainer}'s bounded worker pool: {@code workers} daemon threads and a queue of {@code capacity}
 * model calls; a call that finds the queue full fails at once with {@link OverloadedException}. Work is handed
 * back as a future whose failure carries the worker's exception, never lost on the worker.
 */
final class WorkerPool implements AutoCloseable {
    private final ThreadPoolExecutor pool;

    /** Submitted work: its result, and the task to cancel when the caller stops waiting. */
    record Submitted<T>(CompletableFuture<T> result, Future<?> task) {}

    WorkerPool(int workers, int capacity) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "attrib4j-explainer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(capacity), daemons, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code work} on a worker.
     *
     * @throws OverloadedException when the queue is full or the pool is closed
     */
    <T> Submitted<T> submit(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            Future<?> task = pool.submit(() -> {
                try {
                    result.complete(work.get());
                } catch (Throwable t) { // handed to the waiting caller, never lost on the worker
                    result.completeExceptionally(t);
                }
            });
            return new Submitted<>(result, task);
        } catch (RejectedExecutionException e) {
            throw new OverloadedException("the explainer's queue is full (" + pool.getQueue().size() + " waiting, "
                    + pool.getMaximumPoolSize() + " workers busy) or the explainer is closed; retry later with "
                    + "back-off, or raise optWorkers/optQueueCapacity", e);
        }
    }

    /** Cancels a task the caller no longer waits for: interrupts it if running, drops it if queued. */
    void cancel(Submitted<?> submitted) {
        submitted.task().cancel(true);
        pool.remove((Runnable) submitted.task());
    }

    /** Model calls waiting for a worker now. */
    int queueDepth() {
        return pool.getQueue().size();
    }

    /** The result of a future, with the worker's runtime exception rethrown as it was. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelExecutionException("interrupted while waiting for the explainer; the request was abandoned, "
                    + "send it again", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new ModelExecutionException("the model failed with " + e.getCause()
                    + "; check the model and its input", e.getCause());
        }
    }

    /** Stops the workers; running work is interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
