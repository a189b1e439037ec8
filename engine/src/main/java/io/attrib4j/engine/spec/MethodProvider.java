package io.attrib4j.engine.spec;

import java.util.List;

/**
 * The service-provider interface through which a method module contributes its methods to {@link Methods}:
 * list the implementation in {@code META-INF/services/io.attrib4j.engine.spec.MethodProvider}.
 */
public interface MethodProvider {

    /** The methods this module offers. */
    List<MethodDescriptor<?>> methods();

    /**
     * Where this module's methods come in {@link Methods#names()} (lower first, then by class name), so the
     * registry's order does not depend on the class path's.
     */
    default int rank() {
        return 100;
    }
}
