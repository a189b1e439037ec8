package io.attrib4j.trees;

import io.attrib4j.engine.spec.MethodDescriptor;
import io.attrib4j.engine.spec.MethodProvider;
import java.util.List;

/** The tree and linear methods in the registry ({@link io.attrib4j.engine.spec.Methods}). */
public final class TreeMethodsProvider implements MethodProvider {
    static final MethodDescriptor<TreeShap.Options> TREESHAP = MethodDescriptor.of("treeshap",
            "TreeSHAP, path-dependent and exact (Lundberg et al. 2020), in margin units; trees with covers",
            TreeShap.Options.DEFAULTS, (o, backend) -> new TreeShap(o));
    static final MethodDescriptor<TreeShapInteractions.Options> INTERACTIONS = MethodDescriptor.of(
            "treeshap-interactions", "SHAP interaction values [rows, features, features] (Lundberg et al. 2020)",
            TreeShapInteractions.Options.DEFAULTS, (o, backend) -> new TreeShapInteractions(o));
    static final MethodDescriptor<InterventionalTreeShap.Options> INTERVENTIONAL = MethodDescriptor.of(
            "interventional-treeshap", "interventional TreeSHAP against a background set: exact Shapley values of "
                    + "the marginal value function",
            InterventionalTreeShap.Options.DEFAULTS, (o, backend) -> new InterventionalTreeShap(o));
    static final MethodDescriptor<LinearShap.Options> LINEAR = MethodDescriptor.of("linearshap",
            "Linear SHAP for linear and logistic models: phi_j = w_j (x_j - E[x_j]), exact",
            LinearShap.Options.DEFAULTS, (o, backend) -> new LinearShap(o));

    @Override
    public List<MethodDescriptor<?>> methods() {
        return List.of(TREESHAP, INTERACTIONS, INTERVENTIONAL, LINEAR);
    }

    @Override
    public int rank() {
        return 40;
    }
}
