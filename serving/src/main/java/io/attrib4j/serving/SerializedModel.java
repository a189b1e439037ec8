package io.attrib4j.serving;

import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.ModelInfo;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Optional;

/**
 * A model whose calls take one lock, so a model that is not thread-safe can serve several workers: the
 * workers then overlap only in the attribution arithmetic, not in model calls. Every capability of the
 * wrapped model (gradients, layers, stages, attention outputs, ...) is forwarded, each call under the same
 * lock, so Grad-CAM, Layer IG or rollout in a served chain keep their layers.
 */
final class SerializedModel implements ForwardModel {
    private final ForwardModel delegate;

    private SerializedModel(ForwardModel delegate) {
        this.delegate = delegate;
    }

    static ForwardModel wrap(ForwardModel model) {
        return new SerializedModel(model);
    }

    /** The model this one serializes. */
    ForwardModel delegate() {
        return delegate;
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

    /**
     * The wrapped model's capability, as a view whose every call takes this model's lock; asking that view for
     * a capability comes back here, so no caller reaches the unlocked model.
     */
    @Override
    public <C> Optional<C> capability(Class<C> type) {
        if (type.isInstance(this)) {
            return Optional.of(type.cast(this));
        }
        return delegate.capability(type).map(c -> type.isInterface() ? locked(type, c) : c);
    }

    private <C> C locked(Class<C> type, C target) {
        Object view = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getName().equals("capability") && args != null && args.length == 1) {
                return capability((Class<?>) args[0]);
            }
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(proxy, method, args);
            }
            synchronized (delegate) {
                try {
                    return method.invoke(target, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
        });
        return type.cast(view);
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "locked view of a served model";
        };
    }

    @Override
    public void close() {
        synchronized (delegate) {
            delegate.close();
        }
    }
}
