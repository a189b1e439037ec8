package io.attrib4j.engine;

import java.util.Optional;

/**
 * The answer of an attribution method: one value per input element (or per layer element), the
 * per-example convergence delta where the method has one, and the {@link Provenance}.
 *
 * <p>The convergence delta follows Captum: {@code delta_i = sum(attr_i) - (F(x_i)[t] - F(b_i)[t])},
 * signed. Methods whose deltas are per (example, sample) pair say so in their Javadoc.
 */
public final class Attribution {
    private final Tensor values;
    private final float[] delta;
    private final Provenance provenance;

    public Attribution(Tensor values, float[] delta, Provenance provenance) {
        this.values = values;
        this.delta = delta == null ? null : delta.clone();
        this.provenance = provenance;
    }

    public Tensor values() {
        return values;
    }

    /** The convergence delta, if the method computes one. */
    public Optional<float[]> convergenceDelta() {
        return Optional.ofNullable(delta).map(float[]::clone);
    }

    public Provenance provenance() {
        return provenance;
    }

    @Override
    public String toString() {
        return provenance.method() + " attribution " + values.shape();
    }
}
