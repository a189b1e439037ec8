package io.attrib4j.engine.backend;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * A {@link Backend} that passes every operation to another one and tells a listener about each call once
 * it has returned or thrown: its name and the wall time it took. One decorator for everything that
 * watches a backend (the bench's time split, the tests that prove a method computes through the backend
 * it was given), and it follows the interface when an operation is added.
 */
public final class ObservedBackend {
    private ObservedBackend() {}

    /** Hears of every completed operation. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param operation the {@link Backend} method's name ({@code "interpolate"}, ...)
         * @param nanos its wall time, the delegate's exception included
         */
        void completed(String operation, long nanos);
    }

    /**
     * @param delegate the backend that computes
     * @param name what {@link Backend#name()} reports (the delegate's, or a name that marks the wrapper)
     * @param listener told of each operation; {@code name()} itself is not reported
     */
    public static Backend of(Backend delegate, String name, Listener listener) {
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("name")) {
                        return name;
                    }
                    long t0 = System.nanoTime();
                    try {
                        return method.invoke(delegate, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause(); // the delegate's own exception, unwrapped
                    } finally {
                        listener.completed(method.getName(), System.nanoTime() - t0);
                    }
                });
    }
}
