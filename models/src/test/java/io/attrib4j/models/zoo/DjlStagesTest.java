package io.attrib4j.models.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Activation;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.attrib4j.engine.Shape;
import io.attrib4j.engine.Target;
import io.attrib4j.engine.Tensor;
import io.attrib4j.engine.UnsupportedModelException;
import io.attrib4j.engine.model.Stage;
import io.attrib4j.engine.model.StagedModel;
import io.attrib4j.models.DjlBlockModel;
import io.attrib4j.models.DjlStages;
import io.attrib4j.testkit.Close;
import io.attrib4j.testkit.Oracle;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The staged view of DJL block models: the oracle nets as chains of stages, and the blocks it refuses. */
class DjlStagesTest {

    @Test
    void cnnStagesAreTheLeafLayersWithTheirKinds() {
        try (StagedModel m = DjlStages.of(OracleNets.cnn(OracleNetsTest.stateDict("cnn", OracleNetsTest.CNN_KEYS)))) {
            List<String> names = m.stages().stream().map(Stage::name).toList();
            List<Stage.Kind> kinds = m.stages().stream().map(Stage::kind).toList();
            assertEquals(List.of("features.0", "features.1", "features.2", "features.3", "features.4", "head.0",
                    "head.1", "head.2"), names);
            assertEquals(List.of(Stage.Kind.LINEAR, Stage.Kind.RELU, Stage.Kind.MAX_POOL, Stage.Kind.LINEAR,
                    Stage.Kind.RELU, Stage.Kind.LINEAR, Stage.Kind.LINEAR, Stage.Kind.LINEAR), kinds);
            assertEquals("djl-block", m.info().format());
        }
    }

    @Test
    void stagesComposeToTheModelForwardAndBackward() {
        for (String net : new String[] {"mlp", "cnn"}) {
            DjlBlockModel djl = net.equals("mlp") ? OracleNets.mlp(OracleNetsTest.stateDict("mlp", OracleNetsTest.MLP_KEYS))
                    : OracleNets.cnn(OracleNetsTest.stateDict("cnn", OracleNetsTest.CNN_KEYS));
            try (StagedModel m = DjlStages.of(djl)) {
                Tensor x = Oracle.load(net + "/x");
                Target t = Target.perExample(Oracle.loadInts(net + "/targets"));
                Tensor[] acts = new Tensor[m.stages().size() + 1];
                acts[0] = x;
                for (int s = 0; s < m.stages().size(); s++) {
                    acts[s + 1] = m.stages().get(s).forward(acts[s]);
                }
                Close.relative(Oracle.load(net + "/logits"), acts[acts.length - 1], 1e-5, net + " chained forward");
                Tensor g = t.seed(acts[acts.length - 1]);
                for (int s = m.stages().size() - 1; s >= 0; s--) {
                    g = m.stages().get(s).backward(acts[s], g);
                }
                Close.relative(Oracle.load(net + "/saliency_signed"), g, 1e-4, net + " chained backward");
            }
        }
    }

    @Test
    void residualBlockIsRefused() {
        assertRefused(() -> new SequentialBlock().add(Linear.builder().setUnits(4).build()).add(new ParallelBlock(
                list -> new NDList(list.get(0).singletonOrThrow().add(list.get(1).singletonOrThrow())),
                List.of(Linear.builder().setUnits(4).build(), new SequentialBlock().add(Activation.reluBlock())))),
                "chain");
    }

    @Test
    void blockWithoutRuleIsRefusedNamingIt() {
        assertRefused(() -> new SequentialBlock().add(Linear.builder().setUnits(4).build()).add(Activation.geluBlock()),
                "GELU");
    }

    private static void assertRefused(Supplier<ai.djl.nn.Block> net, String expected) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            ai.djl.nn.Block block = net.get();
            block.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 4));
            try (DjlBlockModel model = DjlBlockModel.of("refused", block, Shape.of(4))) {
                UnsupportedModelException e = assertThrows(UnsupportedModelException.class, () -> DjlStages.of(model));
                assertTrue(e.getMessage().contains(expected), e.getMessage());
                assertTrue(e.getMessage().contains("IntegratedGradients"), e.getMessage());
            }
        }
    }
}
