package io.attrib4j.engine.spec;

import java.util.List;

/**
 * The service-provider interface through which a method module contributes its methods to {@link Methods}:
 * list the implementation in {@code META-INF/services/io.attrib4j.engine.spec.MethodProvider}.
 */
public interface MethodProvider {

    /** The methods this module offers. */
    List<MethodDescriptor<?>> methods();
}
