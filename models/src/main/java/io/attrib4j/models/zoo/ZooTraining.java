package io.attrib4j.models.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.model.ForwardModel;

/**
 * How the zoo's small classifiers are trained in-process: Adam on softmax cross-entropy, mini-batches
 * in data order, the engine's parameter initialization seeded, so every JVM trains the same model.
 * Callers hold the models module's gradient lock.
 */
final class ZooTraining {
    private ZooTraining() {}

    /**
     * Trains {@code model}'s block on {@code images} ({@code [n, ...]}) with class {@code labels}.
     *
     * @param seed seeds the engine's parameter initialization
     */
    static void fit(Model model, Tensor images, int[] labels, float learningRate, int epochs, int batch, long seed) {
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build())
                .optDevices(new Device[] {Device.cpu()});
        Engine.getEngine("PyTorch").setRandomSeed((int) seed);
        int n = images.batch();
        try (Trainer trainer = model.newTrainer(config)) {
            trainer.initialize(new ai.djl.ndarray.types.Shape(images.shape().withBatch(batch).toLongArray()));
            for (int epoch = 0; epoch < epochs; epoch++) {
                for (int from = 0; from < n; from += batch) {
                    step(trainer, images, labels, from, Math.min(n, from + batch));
                }
            }
        }
    }

    private static void step(Trainer trainer, Tensor images, int[] labels, int from, int to) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            Tensor rows = images.rows(from, to);
            long[] y = new long[to - from];
            for (int i = from; i < to; i++) {
                y[i - from] = labels[i];
            }
            NDArray x = batch.create(rows.data(), new ai.djl.ndarray.types.Shape(rows.shape().toLongArray()));
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                collector.backward(trainer.getLoss().evaluate(new NDList(batch.create(y)), new NDList(logits)));
            }
            trainer.step();
        }
    }

    /** Fraction of {@code images} whose predicted class (argmax of the logits) is the label. */
    static double accuracy(ForwardModel model, Tensor images, int[] labels) {
        int[] predicted = model.forward(images).argmaxRows();
        int right = 0;
        for (int i = 0; i < predicted.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) right / predicted.length;
    }
}
