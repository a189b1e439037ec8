package io.attrib4j.engine;

/** The model cannot do what the method needs (gradients, layer access, a visible graph). */
public class UnsupportedModelException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public UnsupportedModelException(String message) {
        super(message);
    }

    public UnsupportedModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
