package io.attrib4j.engine.spec;

/**
 * A method's options: an immutable record whose components are the method's options, each with
 * Captum's (or the paper's) default in the record's {@code DEFAULTS} constant and checked by its compact
 * constructor. The same record is what the method's builder produces, what its provenance reports (as a
 * {@link MethodSpec}), the cache key and what the audit trail stores.
 *
 * <p>Component types the specs understand: {@code int}, {@code long}, {@code double}, {@code boolean},
 * {@code String}, enums, {@code int[]}, {@link io.attrib4j.engine.Baseline}, {@link io.attrib4j.engine.Tensor}
 * and {@link MethodSpec} (a nested method). A {@code null} component means "not set".
 */
public interface MethodOptions {
    /** The one default seed of every stochastic method (NoiseTunnel, GradientSHAP, KernelSHAP, LIME, ...). */
    long DEFAULT_SEED = 42L;
}
