package io.attrib4j.engine;

/** The target does not fit the model output: class index out of range, wrong number of per-example targets. */
public class InvalidTargetException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public InvalidTargetException(String message) {
        super(message);
    }

    public InvalidTargetException(String message, Throwable cause) {
        super(message, cause);
    }
}
