package io.attrib4j.engine;

/** The model itself failed on an input, for example because the input shape is not the one it was built for. */
public class ModelExecutionException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public ModelExecutionException(String message) {
        super(message);
    }

    public ModelExecutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
