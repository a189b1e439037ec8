package io.attrib4j.cli;

import io.attrib4j.attention.TokenRollout;
import io.attrib4j.engine.Attribution;
import io.attrib4j.engine.AttributionMethod;
import io.attrib4j.engine.DType;
import io.attrib4j.engine.InvalidInputException;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.export.Npy;
import io.attrib4j.engine.export.TextHeatmap;
import io.attrib4j.engine.model.ForwardModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text side of {@code explain} and {@code demo}: token scores of a text method, written as
 * {@code attributions.npy} ([batch, seq]), {@code rollout.npy} ([batch, seq, seq], rollouts only) and
 * {@code tokens.html} / {@code tokens.json}.
 */
final class TextExplanation {
    private TextExplanation() {}

    /** Runs {@code method} on token ids and writes its files into {@code out}; returns the attribution. */
    static Attribution explain(AttributionMethod method, ForwardModel model, Tensor ids, Target target, Path out) {
        if (ids.dtype() != DType.INT64 || ids.shape().rank() != 2) {
            throw new InvalidInputException("text methods take token ids, an int64 .npy of shape [batch, seq]; got "
                    + ids + " (save with numpy: np.save('ids.npy', ids.astype(np.int64)))");
        }
        if (method instanceof TokenRollout rollout) {
            Npy.write(out.resolve("rollout.npy"), rollout.rollout(model, ids, target).rollout());
        }
        Attribution a = method.attribute(model, ids, target);
        Npy.write(out.resolve("attributions.npy"), a.values());
        return a;
    }

    /** One heatmap example per row of {@code ids}, one row per method in {@code scores}. */
    static List<TextHeatmap.Example> examples(Tensor ids, List<String> vocabulary, List<String> classNames,
            Tensor logits, int[] explained, Map<String, Tensor> scores) {
        List<TextHeatmap.Example> examples = new ArrayList<>();
        for (int i = 0; i < ids.batch(); i++) {
            Map<String, float[]> rows = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : scores.entrySet()) {
                rows.put(e.getKey(), e.getValue().row(i).data());
            }
            String caption = String.format(Locale.ROOT, "example %d: class %s (p=%.3f)", i,
                    Predictions.label(classNames, explained[i]), Predictions.probability(logits, i, explained[i]));
            examples.add(new TextHeatmap.Example(caption, tokens(ids, i, vocabulary), rows));
        }
        return examples;
    }

    /** The words of example {@code i}; ids themselves without a vocabulary. */
    static List<String> tokens(Tensor ids, int i, List<String> vocabulary) {
        List<String> words = new ArrayList<>();
        for (int p = 0; p < ids.shape().dim(1); p++) {
            int id = (int) ids.get(i, p);
            if (vocabulary == null) {
                words.add(String.valueOf(id));
            } else if (id < 0 || id >= vocabulary.size()) {
                throw new InvalidInputException("token id " + id + " at [example " + i + ", position " + p
                        + "] is outside the vocabulary of " + vocabulary.size() + " words; give the --vocab file the "
                        + "model was trained with (line i = token id i)");
            } else {
                words.add(vocabulary.get(id));
            }
        }
        return words;
    }

    /** A vocabulary file: one word per line, line i is token id i. */
    static List<String> readVocabulary(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the vocabulary " + file + "; give a UTF-8 text file with one "
                    + "word per line", e);
        }
    }
}
