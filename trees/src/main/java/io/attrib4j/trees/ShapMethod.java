package io.attrib4j.trees;

import io.attrib4j.engine.AttributionMethod;

/** What every method of this package holds: its provenance name and its immutable options record. */
abstract class ShapMethod<O> implements AttributionMethod {
    private final String name;
    private final O options;

    ShapMethod(String name, O options) {
        if (options == null) {
            throw new io.attrib4j.engine.InvalidOptionException("options are null; build them with "
                    + name + ".Options.builder()");
        }
        this.name = name;
        this.options = options;
    }

    /** The options, which double as the provenance record. */
    public final O options() {
        return options;
    }

    @Override
    public final String name() {
        return name;
    }
}
