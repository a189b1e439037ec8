package io.attrib4j.serving;

import io.attrib4j.engine.AttributionException;

/** The audit store cannot be reached or written. */
public class AuditException extends AttributionException {
    private static final long serialVersionUID = 1L;

    public AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
