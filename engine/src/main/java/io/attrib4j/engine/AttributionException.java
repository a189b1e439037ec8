package io.attrib4j.engine;

/**
 * Base of every error attrib4j raises on purpose. Each subclass names one kind of problem, and each
 * message says what is wrong and what to do about it.
 */
public class AttributionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AttributionException(String message) {
        super(message);
    }

    public AttributionException(String message, Throwable cause) {
        super(message, cause);
    }
}
