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
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.attrib4j.engine.DType;
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
     * Trains {@code model}'s block on {@code inputs} ({@code [n, ...]}, float images or INT64 token ids)
     * with class {@code labels}; the block's first output is the logits.
     *
     * @param clipGradient clips each gradient to this magnitude, or 0 for no clipping
     * @param seed seeds the engine's parameter initialization
     */
    static void fit(Model model, Tensor inputs, int[] labels, float learningRate, float clipGradient, int epochs,
            int batch, long seed) {
        Adam.Builder adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate));
        if (clipGradient > 0) {
            adam.optClipGrad(clipGradient);
        }
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(adam.build())
                .optDevices(new Device[] {Device.cpu()});
        // the whole run holds the gradient lock, as every backward pass through DJL does (GradientLock): the seed
        // is the engine's and the collector is global, so no gradient call of another thread may interleave
        io.attrib4j.models.GradientLock.run(() -> {
            Engine.getEngine("PyTorch").setRandomSeed((int) seed);
            int n = inputs.batch();
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new ai.djl.ndarray.types.Shape(inputs.shape().withBatch(batch).toLongArray()));
                for (int epoch = 0; epoch < epochs; epoch++) {
                    for (int from = 0; from < n; from += batch) {
                        step(trainer, inputs, labels, from, Math.min(n, from + batch));
                    }
                }
            }
            return null;
        });
    }

    private static void step(Trainer trainer, Tensor inputs, int[] labels, int from, int to) {
        try (NDManager batch = trainer.getManager().newSubManager()) {
            Tensor rows = inputs.rows(from, to);
            long[] y = new long[to - from];
            for (int i = from; i < to; i++) {
                y[i - from] = labels[i];
            }
            // copies in torch-owned memory: arrays made from Java data wrap a direct buffer that training may
            // outlive (seen as GC-dependent weights in the text model: ZooReproducibilityTest)
            ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(rows.shape().toLongArray());
            NDArray x = (rows.dtype() == DType.INT64 ? batch.create(rows.toLongArray(), shape)
                    : batch.create(rows.data(), shape)).duplicate();
            NDArray labelsNd = batch.create(y).duplicate();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(x)).head();
                collector.backward(trainer.getLoss().evaluate(new NDList(labelsNd), new NDList(logits)));
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
