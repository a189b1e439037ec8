package io.attrib4j.models.zoo;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import io.attrib4j.engine.Shape;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.GradientLock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains the {@link MarkerTransformer} in process: {@link TokenEmbedding} (50 words, 12 positions, 32
 * dimensions) then {@link TransformerEncoder} (2 layers, 2 heads, feed-forward 64, classifier on [CLS]),
 * Adam (learning rate 0.005, gradients clipped to 1), softmax cross-entropy, on generated sentences, with fixed seeds.
 */
final class TextTraining {
    static final long TRAIN_SEED = 20261124L;
    static final long HELD_OUT_SEED = 78L;
    static final int TRAIN_SIZE = 2048;
    static final int HELD_OUT_SIZE = 512;
    static final int BATCH = 64;
    static final int EPOCHS = 8;
    static final int DIM = 32;

    private TextTraining() {}

    /** Training attempts, each with the next seed, before giving up (a run that diverges to NaN is retried). */
    static final int ATTEMPTS = 3;

    static MarkerTransformer train() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            MarkerTransformer t = train(TRAIN_SEED + attempt);
            if (t != null) {
                return t;
            }
        }
        throw new IllegalStateException("training the marker transformer diverged " + ATTEMPTS + " times (non-finite "
                + "weights); this is a bug: report it with the JVM and platform");
    }

    /** One seeded training run, or {@code null} (model closed) when it diverged. */
    private static MarkerTransformer train(long seed) {
        TokenEmbedding embedding = new TokenEmbedding(MarkerTransformer.VOCABULARY.size(), MarkerTransformer.LENGTH, DIM);
        TransformerEncoder encoder = new TransformerEncoder(2, 2, DIM, 64, 2);
        Map<String, Block> layers = new LinkedHashMap<>();
        layers.put(MarkerTransformer.EMBEDDING, embedding);
        layers.put("encoder", encoder);
        SequentialBlock net = new SequentialBlock().add(embedding).add(encoder);
        Model model = Model.newInstance("marker-transformer", Device.cpu(), "PyTorch");
        try {
            model.setBlock(net);
            GradientLock.run(() -> {
                MarkerTransformer.Samples data = MarkerTransformer.samples(TRAIN_SIZE, seed);
                ZooTraining.fit(model, data.ids(), data.labels(), 0.005f, 1f, EPOCHS, BATCH, seed);
                return null;
            });
            DjlBlockModel blocks = DjlBlockModel.shared(model, Shape.of(MarkerTransformer.LENGTH), layers);
            TextClassifier classifier = new TextClassifier(model, blocks, embedding, encoder);
            List<String> classes = List.of("negative", "positive");
            MarkerTransformer untested = new MarkerTransformer(classifier, MarkerTransformer.VOCABULARY, classes, Double.NaN);
            double accuracy = untested.accuracy(MarkerTransformer.samples(HELD_OUT_SIZE, HELD_OUT_SEED));
            if (!Float.isFinite(classifier.layerActivation(MarkerTransformer.samples(1, 0).ids(),
                    MarkerTransformer.EMBEDDING).maxAbs()) || !(accuracy > 0.95)) {
                model.close();
                return null;
            }
            return new MarkerTransformer(classifier, MarkerTransformer.VOCABULARY, classes, accuracy);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }
}
