package io.attrib4j.engine;

/**
 * An attribution method that compares each input with a reference, its {@link Baseline}. Wrappers that
 * change the batch (NoiseTunnel's noisy copies) use {@link #withBaseline} to give the method the
 * baseline rows that go with the new batch, as Captum expands {@code baselines} with the inputs.
 */
public interface BaselineMethod extends AttributionMethod {

    /** The baseline the method uses. */
    Baseline baseline();

    /** The same method, every other option unchanged, with {@code baseline}. */
    BaselineMethod withBaseline(Baseline baseline);
}
