package io.attrib4j.serving;

/** The usual reading of a population stability index: below 0.1, 0.1 to 0.2, above 0.2 (bands configurable). */
public enum PsiBand {
    STABLE,
    MODERATE,
    SIGNIFICANT
}
