package io.attrib4j.engine;

/**
 * The reference input an attribution is measured against ("the absence of the feature").
 *
 * <p>{@link #resolve(Tensor)} turns a baseline into a tensor with the input's shape, one reference row
 * per example. A given tensor may have the input's full shape, one row ({@code [1, ...]}), or the
 * example shape without a batch dimension; the last two are repeated for every example.
 */
public abstract class Baseline {

    private Baseline() {}

    /** All zeros (Captum's default). */
    public static Baseline zeros() {
        return constant(0f);
    }

    /** Every element equal to {@code value}. */
    public static Baseline constant(float value) {
        if (!Float.isFinite(value)) {
            throw new InvalidInputException("baseline constant " + value + " is not finite; use a finite number");
        }
        return new Baseline() {
            @Override
            public Tensor resolve(Tensor input) {
                return Tensor.filled(input.shape(), value);
            }

            @Override
            public String describe() {
                return value == 0f ? "zeros" : "constant " + value;
            }

            @Override
            public Object specValue() {
                return value == 0f ? "zeros" : (Object) (double) value;
            }
        };
    }

    /** A given reference tensor. */
    public static Baseline of(Tensor reference) {
        Inputs.requireFinite(reference, "baseline");
        return new Baseline() {
            @Override
            public Tensor resolve(Tensor input) {
                Shape in = input.shape();
                Shape ref = reference.shape();
                if (ref.equals(in)) {
                    return reference;
                }
                boolean oneRow = ref.rank() == in.rank() && ref.batch() == 1 && ref.dropBatch().equals(in.dropBatch());
                boolean noBatch = ref.equals(in.dropBatch());
                if (!oneRow && !noBatch) {
                    throw new InvalidInputException("baseline shape " + ref + " does not fit input shape " + in
                            + "; give a baseline of shape " + in + ", " + in.withBatch(1) + " or " + in.dropBatch());
                }
                Tensor row = reference.reshape(in.withBatch(1));
                return row.gatherRows(new int[in.batch()]);
            }

            @Override
            public String describe() {
                return "tensor " + reference.shape();
            }

            @Override
            public Object specValue() {
                return reference;
            }
        };
    }

    /**
     * This baseline as a {@link io.attrib4j.engine.spec.MethodSpec} option value: {@code "zeros"}, the constant
     * as a {@code Double}, or the reference {@link Tensor}.
     */
    public abstract Object specValue();

    /** The reference for every example of {@code input}: a tensor of the input's shape. */
    public abstract Tensor resolve(Tensor input);

    /** Human-readable form for provenance records. */
    public abstract String describe();

    @Override
    public String toString() {
        return describe();
    }
}
