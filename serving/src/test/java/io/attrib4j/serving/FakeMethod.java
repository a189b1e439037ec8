package io.attrib4j.serving;

import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.MethodRun;
import io.attrib4j.engine.ModelExecutionException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;
import io.attrib4j.engine.model.GradientModel;
import io.attrib4j.engine.model.ModelGradients;
import io.attrib4j.engine.model.ModelInfo;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test method whose attribution is the plain input gradient (exact on toy models), run after a
 * configurable hook that can sleep, block or throw; counts its calls.
 */
final class FakeMethod implements AttributionMethod {
    interface Hook {
        void before() throws InterruptedException;
    }

    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger interrupted = new AtomicInteger();
    private final String name;
    private final Hook hook;

    FakeMethod(String name, Hook hook) {
        this.name = name;
        this.hook = hook;
    }

    static FakeMethod fast(String name) {
        return new FakeMethod(name, () -> {});
    }

    static FakeMethod sleeping(String name, long millis) {
        return new FakeMethod(name, () -> Thread.sleep(millis));
    }

    static FakeMethod blockedUntil(String name, CountDownLatch started, CountDownLatch release) {
        return new FakeMethod(name, () -> {
            started.countDown();
            release.await();
        });
    }

    FallbackStep step() {
        return FallbackStep.of(name, this);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Attribution attribute(ForwardModel model, Tensor input, Target target) {
        calls.incrementAndGet();
        try {
            hook.before();
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            Thread.currentThread().interrupt();
            throw new ModelExecutionException("interrupted");
        }
        MethodRun run = new MethodRun();
        Tensor g = run.gradients(io.attrib4j.engine.model.Models.requireGradients(model, name), input, target).inputGradient();
        return new Attribution(g, null, run.provenance(this, target, model, null));
    }

    /** A model with another content hash: a new version of {@code delegate}'s file. */
    static GradientModel versioned(GradientModel delegate, String hash) {
        return new GradientModel() {
            @Override
            public ModelInfo info() {
                return ModelInfo.of(delegate.info().name(), delegate.info().format(), hash);
            }

            @Override
            public Tensor forward(Tensor input) {
                return delegate.forward(input);
            }

            @Override
            public ModelGradients gradients(Tensor input, Target target) {
                return delegate.gradients(input, target);
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }
}
