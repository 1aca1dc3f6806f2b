package io.surnn.driver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surnn.ops.models.Defaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * reference.conf (what users read as the defaults) and worker-ops' {@link Defaults} (what the model
 * builders start from) state the same values, key by key, so the two cannot drift apart.
 */
class ReferenceDefaultsTest {

    /** Keys under surnn.model with no worker-ops builder default: driver-only choices. */
    private static final Set<String> DRIVER_ONLY = Set.of("family");

    private static RunConfig defaults() {
        return ConfigLoader.parse("surnn.data.path = /d", "test.conf", List.of());
    }

    @Test
    void everyModelAndGateDefaultIsTheWorkerOpsConstant() {
        ModelConfig m = defaults().model();
        Map<String, Object[]> pairs = new LinkedHashMap<>(); // key under surnn.model → {worker-ops, reference.conf}
        pairs.put("cell", new Object[] {Defaults.CELL, m.cell()});
        pairs.put("gate.mode", new Object[] {Defaults.GATE_MODE, m.gate().mode()});
        pairs.put("gate.harmonics", new Object[] {Defaults.HARMONICS, m.gate().harmonics()});
        pairs.put("gate.surrogate", new Object[] {Defaults.SURROGATE, m.gate().surrogate()});
        pairs.put("gate.width", new Object[] {Defaults.SURROGATE_WIDTH, m.gate().width()});
        pairs.put("gate.initial-update-rate", new Object[] {Defaults.INITIAL_UPDATE_RATE, m.gate().initialUpdateRate()});
        pairs.put("sparse", new Object[] {Defaults.SPARSE, m.sparse()});
        pairs.put("embedding", new Object[] {Defaults.EMBEDDING_SIZE, m.embedding()});
        pairs.put("hidden", new Object[] {Defaults.HIDDEN_SIZE, m.hidden()});
        pairs.put("layers", new Object[] {Defaults.LAYERS, m.layers()});
        pairs.put("dropout", new Object[] {Defaults.DROPOUT, m.dropout()});
        pairs.put("pooling", new Object[] {Defaults.READOUT, m.pooling()});
        pairs.put("output.softmax", new Object[] {Defaults.OUTPUT_SOFTMAX, m.output().softmax()});
        pairs.put("output.cutoffs", new Object[] {new io.surnn.ops.models.LanguageModelBuilder().cutoffs(), m.output().cutoffs()});
        pairs.put("output.tail-shrink", new Object[] {Defaults.TAIL_SHRINK, m.output().tailShrink()});
        pairs.put("output.tie-embeddings", new Object[] {Defaults.TIE_EMBEDDINGS, m.output().tieEmbeddings()});
        pairs.forEach((key, v) -> assertEquals(v[0], v[1], "surnn.model." + key + " vs worker-ops Defaults"));

        // a model key added to reference.conf must be added here (or declared driver-only)
        for (Map.Entry<String, ?> e : ConfigLoader.reference().getConfig("surnn.model").entrySet()) {
            assertTrue(pairs.containsKey(e.getKey()) || DRIVER_ONLY.contains(e.getKey()),
                    "surnn.model." + e.getKey() + " is compared with no worker-ops default");
        }
    }

    @Test
    void trainingSettingsTheBuildersCarryDefaultToTheWorkerOpsConstants() {
        TrainConfig t = defaults().train();
        assertEquals(Defaults.SEED, t.seed(), "surnn.train.seed");
        assertEquals(Defaults.OPTIMIZER, t.optimizer().name(), "surnn.train.optimizer.name");
        assertEquals(Defaults.LEARNING_RATE, t.optimizer().lr(), "surnn.train.optimizer.lr");
        assertEquals(Defaults.WEIGHT_DECAY, t.optimizer().weightDecay(), "surnn.train.optimizer.weight-decay");
        assertEquals(Defaults.GRADIENT_CLIP, t.clip(), "surnn.train.clip");
    }
}
