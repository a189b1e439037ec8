package io.attrib4j.engine.spec;

/** An enum whose values have a spec name other than their lower-case constant name (e.g. Captum's rule names). */
public interface SpecName {
    String specName();
}
