package io.attrib4j.engine;

/** A compute backend is missing or failed (no GPU, a driver error). */
public class BackendException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
