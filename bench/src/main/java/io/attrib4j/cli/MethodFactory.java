package io.attrib4j.cli;

import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.InvalidOptionException;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.backend.Backends;
import java.util.Map;

/**
 * The command line's methods for callers outside it (the sweep), so that methods are built in one place:
 * {@link MethodChoice} from {@link MethodOptions}, whoever fills them.
 */
public final class MethodFactory {
    private MethodFactory() {}

    /**
     * Builds the method the command line calls {@code method} ("ig", "gradshap", ...) with the default backend.
     *
     * @param options option values by command-line name, each of the option's type: {@code "--steps"} an
     *     Integer, {@code "--stdevs"} a Double, {@code "--seed"} a Long, {@code "--rule"} a String
     * @param baselines the baseline set of methods that take {@code --baselines} when that option is not given;
     *     {@code null} for none
     * @throws InvalidOptionException for an unknown method or option, a value of the wrong type, or an option
     *     the method does not take
     */
    public static AttributionMethod create(String method, Map<String, Object> options, Tensor baselines) {
        MethodChoice choice = MethodChoice.parse(method);
        MethodOptions o = MethodOptions.of(options);
        o.baselineSet = baselines;
        choice.checkApplicable(o);
        return choice.create(o, Backends.get());
    }
}
