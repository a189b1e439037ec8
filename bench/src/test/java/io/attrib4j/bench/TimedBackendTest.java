package io.attrib4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backend;
import java.lang.reflect.Proxy;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The timing decorator passes calls through, counts their time, and counts failed calls too. */
class TimedBackendTest {
    private static final Tensor RESULT = Tensor.of(new float[] {1f}, 1);

    /** A backend whose every call sleeps {@code sleepMs} and returns {@link #RESULT} (or throws). */
    private static Backend sleeping(long sleepMs, boolean fail) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return "sleeping";
                    }
                    Thread.sleep(sleepMs);
                    if (fail) {
                        throw new IllegalStateException("failed");
                    }
                    return RESULT;
                });
    }

    @Test
    void countsTheTimeOfEveryCallAndResetsWhenTaken() {
        TimedBackend timed = new TimedBackend(sleeping(20, false));
        assertEquals("sleeping", timed.backend().name());
        assertSame(RESULT, timed.backend().add(RESULT, RESULT));
        assertSame(RESULT, timed.backend().abs(RESULT));
        long nanos = timed.takeNanos();
        assertTrue(nanos >= TimeUnit.MILLISECONDS.toNanos(40), nanos + " ns for two calls of 20 ms");
        assertTrue(nanos < TimeUnit.SECONDS.toNanos(5), nanos + " ns");
        assertEquals(0, timed.takeNanos());
    }

    @Test
    void aFailingCallIsTimedAndItsErrorPassesThrough() {
        TimedBackend timed = new TimedBackend(sleeping(10, true));
        assertThrows(IllegalStateException.class, () -> timed.backend().multiply(RESULT, RESULT));
        assertTrue(timed.takeNanos() >= TimeUnit.MILLISECONDS.toNanos(10));
    }
}
