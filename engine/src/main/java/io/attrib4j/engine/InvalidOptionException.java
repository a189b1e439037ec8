package io.attrib4j.engine;

/** An option is out of its range (steps below 1, negative standard deviation, empty baseline set). */
public class InvalidOptionException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String message) {
        super(message);
    }

    public InvalidOptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
