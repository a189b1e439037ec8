package io.attrib4j.engine;

/** A model file is missing, unreadable or not a model of the expected format. */
public class ModelLoadException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
