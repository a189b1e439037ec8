package io.attrib4j.serving;

import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;

/**
 * A model whose calls take one lock, so a model that is not thread-safe can serve several workers: the
 * workers then overlap only in the attribution arithmetic, not in model calls. Keeps the gradient view when
 * the model has one.
 */
class SerializedModel implements ForwardModel {
    final ForwardModel delegate;

    SerializedModel(ForwardModel delegate) {
        this.delegate = delegate;
    }

    static ForwardModel wrap(ForwardModel model) {
        return model instanceof GradientModel g ? new WithGradients(g) : new SerializedModel(model);
    }

    @Override
    public ModelInfo info() {
        return delegate.info();
    }

    @Override
    public Tensor forward(Tensor input) {
        synchronized (delegate) {
            return delegate.forward(input);
        }
    }

    @Override
    public void close() {
        synchronized (delegate) {
            delegate.close();
        }
    }

    private static final class WithGradients extends SerializedModel implements GradientModel {
        WithGradients(GradientModel delegate) {
            super(delegate);
        }

        @Override
        public ModelGradients gradients(Tensor input, Target target) {
            synchronized (delegate) {
                return ((GradientModel) delegate).gradients(input, target);
            }
        }
    }
}
