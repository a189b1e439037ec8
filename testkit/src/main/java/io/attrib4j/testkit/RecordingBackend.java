package io.attrib4j.testkit;

import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.backend.ObservedBackend;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A {@link Backend} that forwards every operation to another and records the operations' names in
 * call order, so a test can prove a method computes through the backend it was given. Its
 * {@code name()} is {@value #NAME}, so provenance shows which backend was recorded.
 */
public final class RecordingBackend {
    /** The name the recording backend reports. */
    public static final String NAME = "recording";

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Backend backend;

    /** Records the calls made to {@code delegate}. */
    public RecordingBackend(Backend delegate) {
        this.backend = ObservedBackend.of(delegate, NAME, (operation, nanos) -> calls.add(operation));
    }

    /** The backend to hand to the method under test. */
    public Backend backend() {
        return backend;
    }

    /** The names of the operations called so far, in order. */
    public List<String> calls() {
        return List.copyOf(calls);
    }
}
