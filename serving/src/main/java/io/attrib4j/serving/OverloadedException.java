package io.attrib4j.serving;

import io.attrib4j.engine.AttributionException;

/**
 * The {@link Explainer}'s worker queue is full: the request was not started. A service answers it with
 * HTTP 429 and a retry hint.
 */
public class OverloadedException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public OverloadedException(String message, Throwable cause) {
        super(message, cause);
    }
}
