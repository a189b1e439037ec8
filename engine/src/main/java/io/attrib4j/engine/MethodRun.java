package io.attrib4j.engine;

import io.attrib4j.engine.backend.Backend;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.Models;
import io.attrib4j.engine.model.ModelInfo;
import io.attrib4j.engine.spec.MethodSpec;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One call of a method: routes every model call through itself to time and count it, and builds the
 * {@link Provenance} at the end. Not shared between calls or threads.
 */
public final class MethodRun {
    private final long start = System.nanoTime();
    private long modelNanos;
    private int modelCalls;
    private long modelEvaluations;

    /** The model's forward on {@code input}, timed. */
    public Tensor forward(ForwardModel model, Tensor input) {
        return call(input.batch(), () -> model.forward(input));
    }

    /** The model's forward and backward on {@code input}, timed. */
    public ModelGradients gradients(GradientModel model, Tensor input, Target target) {
        return call(input.batch(), () -> model.gradients(input, target));
    }

    /**
     * Any other model work, timed as one model call of {@code batch} examples (for methods that drive the
     * model stage by stage, such as DeepLIFT's forward through a {@code StagedModel}).
     */
    public <T> T call(int batch, Supplier<T> work) {
        long t0 = System.nanoTime();
        T out = work.get();
        count(t0, batch);
        return out;
    }

    /** Model work that continues the last call (a backward pass through the stages): timed, not counted. */
    public <T> T time(Supplier<T> work) {
        long t0 = System.nanoTime();
        T out = work.get();
        modelNanos += System.nanoTime() - t0;
        return out;
    }

    private void count(long t0, int batch) {
        modelNanos += System.nanoTime() - t0;
        modelCalls++;
        modelEvaluations += batch;
    }

    /** Number of model calls so far. */
    public int modelCalls() {
        return modelCalls;
    }

    /** Number of examples the model evaluated so far. */
    public long modelEvaluations() {
        return modelEvaluations;
    }

    public Provenance.Timing timing() {
        return new Provenance.Timing(System.nanoTime() - start, modelNanos, modelCalls, modelEvaluations);
    }

    /**
     * Adds an inner method's model time, calls and evaluations to this run: a wrapping method (NoiseTunnel,
     * DeepLiftShap, a token view) reports its inner runs through this one call.
     */
    public void absorb(Provenance.Timing inner) {
        modelNanos += inner.modelNanos();
        modelCalls += inner.modelCalls();
        modelEvaluations += inner.modelEvaluations();
    }

    /**
     * The provenance of this run of {@code method}, timed up to now: its name, its spec (the options record as
     * a value), the spec's options as parameters followed by what the run measured ({@code outputs}, e.g. the
     * steps an adaptive rule used), and the seed when the spec has one.
     */
    public Provenance provenance(AttributionMethod method, Map<String, Object> outputs, Target target,
            ForwardModel model, Backend backend) {
        MethodSpec spec = method.spec();
        Map<String, Object> parameters = new LinkedHashMap<>();
        spec.options().forEach((k, v) -> parameters.put(k, parameterValue(v)));
        parameters.putAll(outputs);
        Object seed = spec.options().get("seed");
        return provenance(method.name(), parameters, target, model.info(), backend,
                seed instanceof Number n ? n.longValue() : null, spec);
    }

    /** As {@link #provenance(AttributionMethod, Map, Target, ForwardModel, Backend)} with nothing measured. */
    public Provenance provenance(AttributionMethod method, Target target, ForwardModel model, Backend backend) {
        return provenance(method, Map.of(), target, model, backend);
    }

    /** The provenance of this run, timed up to now, from its parts (for results that are not a method's). */
    public Provenance provenance(String method, Map<String, Object> parameters, Target target, ModelInfo model,
            Backend backend, Long seed, MethodSpec spec) {
        return new Provenance(method, parameters, target.describe(), model.name(), model.format(),
                model.contentHash(), backend == null ? "none" : backend.name(), seed, Version.get(), timing(),
                Instant.now(), spec);
    }

    /** A spec value as a provenance parameter: nested specs and tensors in their text form. */
    private static Object parameterValue(Object v) {
        return v instanceof MethodSpec s ? s.toText() : v instanceof Tensor t ? "tensor " + t.shape() : v;
    }

    /**
     * The validation every method starts with: the input is a non-empty, finite batch of the model's
     * example shape, and the target fits the model output (checked on the first forward by the model
     * adapters; here only the per-example count).
     */
    public static void validate(ForwardModel model, Tensor input, Target target) {
        Inputs.requireFinite(input, "input");
        if (input.shape().rank() < 2) {
            throw new InvalidInputException("input has shape " + input.shape()
                    + " but a batch is needed: put the examples along dimension 0 (one example of shape [12] is a "
                    + "batch of shape [1, 12])");
        }
        Models.checkInputShape(model, input);
        target.validateBatch(input.batch());
    }
}
