package io.attrib4j.engine;

/** The input (or a baseline) is unusable: wrong rank or shape, NaN or infinite values, empty batch. */
public class InvalidInputException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
