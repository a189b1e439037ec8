package io.attrib4j.models.zoo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.attrib4j.engine.InvalidInputException;

/**
 * Token embedding plus learned positions: {@code e[b, s, :] = W[ids[b, s], :] + P[s, :]}, input token
 * ids {@code [batch, seq]} (INT64), output {@code [batch, seq, dim]}. The lookup is a one-hot product,
 * so it is differentiable in {@code W} for training. Ids outside {@code [0, vocab)} and sequences longer
 * than the position table raise {@link InvalidInputException} before the engine sees them.
 */
final class TokenEmbedding extends AbstractBlock {
    private final int vocab;
    private final int maxLength;
    private final Parameter tokens;
    private final Parameter positions;

    TokenEmbedding(int vocab, int maxLength, int dim) {
        this.vocab = vocab;
        this.maxLength = maxLength;
        tokens = addParameter(Parameter.builder().setName("tokens").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocab, dim)).build());
        positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(maxLength, dim)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.head();
        checkIds(ids);
        int seq = (int) ids.getShape().get(1);
        NDArray w = store.getValue(tokens, ids.getDevice(), training);
        NDArray p = store.getValue(positions, ids.getDevice(), training);
        NDArray oneHot = ids.toType(DataType.INT64, false).oneHot(vocab).toType(DataType.FLOAT32, false);
        return new NDList(oneHot.matMul(w).add(p.get(":" + seq)));
    }

    private void checkIds(NDArray ids) {
        Shape s = ids.getShape();
        if (s.dimension() != 2) {
            throw new InvalidInputException("token ids have shape " + s + "; give a [batch, seq] array of token ids");
        }
        if (s.get(1) > maxLength || s.get(1) < 1) {
            throw new InvalidInputException("token sequences have length " + s.get(1) + "; this model takes 1 to "
                    + maxLength + " tokens (pad or cut the sequences)");
        }
        long[] values = ids.toType(DataType.INT64, false).toLongArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] >= vocab) {
                throw new InvalidInputException("token id " + values[i] + " at [example " + i / s.get(1) + ", position "
                        + i % s.get(1) + "] is outside the vocabulary [0, " + vocab + "); map unknown words to a "
                        + "vocabulary id (e.g. the padding id 0) before explaining");
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), positions.getArray().getShape().get(1))};
    }
}
