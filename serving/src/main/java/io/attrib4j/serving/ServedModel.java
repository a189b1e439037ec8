package io.attrib4j.serving;

import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Shape;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A model as the {@link ExplanationServer} serves it, configured at start-up: its name, the shape of one
 * example (requests of any other shape are refused with 400 before the model runs), one {@link Explainer}
 * per named fallback chain (the first is the default), and optionally reason codes and a drift watch.
 * The caller owns the explainers and the model; the server never closes them.
 *
 * @param name the name requests use ({@code "model": "credit"})
 * @param exampleShape the shape of one example, without the batch dimension
 * @param chains explainers by chain name, in order; the first answers requests that name no chain
 * @param reasonCodes adverse-action reasons, read from the explained target's attributions of example 0
 * @param drift the drift watch fed with every explanation's first row
 */
public record ServedModel(String name, Shape exampleShape, Map<String, Explainer> chains,
        Optional<ReasonCodes> reasonCodes, Optional<DriftWatch> drift) {

    public ServedModel {
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new InvalidOptionException("model name '" + name + "' is not usable in a URL; use 1 to 64 letters, "
                    + "digits, '.', '_' or '-'");
        }
        if (exampleShape == null || chains == null || chains.isEmpty() || reasonCodes == null || drift == null) {
            throw new InvalidOptionException("served model '" + name + "' needs an example shape and at least one "
                    + "explainer; build it with ServedModel.of(name, exampleShape, explainer)");
        }
        chains = Collections.unmodifiableMap(new LinkedHashMap<>(chains));
    }

    /** A model with one explainer under the chain name "default". */
    public static ServedModel of(String name, Shape exampleShape, Explainer explainer) {
        return new ServedModel(name, exampleShape, Map.of("default", explainer), Optional.empty(), Optional.empty());
    }

    /** This model with one more named chain. */
    public ServedModel withChain(String chainName, Explainer explainer) {
        Map<String, Explainer> more = new LinkedHashMap<>(chains);
        if (more.putIfAbsent(chainName, explainer) != null) {
            throw new InvalidOptionException("model '" + name + "' already has a chain named '" + chainName
                    + "'; give each chain a unique name");
        }
        return new ServedModel(name, exampleShape, more, reasonCodes, drift);
    }

    /** This model with reason codes in its answers. */
    public ServedModel withReasonCodes(ReasonCodes codes) {
        return new ServedModel(name, exampleShape, chains, Optional.of(codes), drift);
    }

    /** This model with a drift watch on its explanations. */
    public ServedModel withDrift(DriftWatch watch) {
        return new ServedModel(name, exampleShape, chains, reasonCodes, Optional.of(watch));
    }

    /** The explainer of chain {@code chainName}, or the default one when it is empty. */
    Optional<Explainer> chain(Optional<String> chainName) {
        return chainName.isEmpty() ? Optional.of(chains.values().iterator().next())
                : Optional.ofNullable(chains.get(chainName.get()));
    }
}
