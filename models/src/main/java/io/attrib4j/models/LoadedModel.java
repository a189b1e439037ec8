package io.attrib4j.models;

import io.attrib4j.engine.model.ForwardModel;
import java.util.List;

/**
 * A model opened by {@link Models#load}, with what its format knows about it.
 *
 * @param model the model (closing this closes it)
 * @param classNames the name of each output class, or null when unknown
 * @param vocabulary the word of each token id of a text model, or null
 */
public record LoadedModel(ForwardModel model, List<String> classNames, List<String> vocabulary)
        implements AutoCloseable {

    /** A model with no class names or vocabulary. */
    public static LoadedModel of(ForwardModel model) {
        return new LoadedModel(model, null, null);
    }

    @Override
    public void close() {
        model.close();
    }
}
