package io.surnn.driver.config;

/**
 * {@code surnn.model}: the network's family, cell, sizes and gate. The parts that shape the
 * parameters are listed in {@link #shapeKey()}, which feeds the resume fingerprint.
 */
public record ModelConfig(Family family, Cell cell, GateConfig gate, boolean sparse, int embedding,
                          int hidden, int layers, double dropout, Pooling pooling, boolean tieWeights) {

    /** lm: next-token language model; classifier: one label per sequence; dual-encoder: pairs. */
    public enum Family implements ConfigEnum { LM, CLASSIFIER, DUAL_ENCODER }

    /** Recurrent cell. LSTM is DL4J's own LSTM layer, the outside baseline (no gate). */
    public enum Cell implements ConfigEnum {
        SURNN, SUGRU, SULSTM, LSTM;

        /** True for the selective-update cells, which read {@code model.gate}. */
        public boolean gated() {
            return this != LSTM;
        }
    }

    /** How a classifier turns per-step states into one vector. */
    public enum Pooling implements ConfigEnum { MEAN, LAST }

    /**
     * The settings that decide the parameter shapes (and so whether a checkpoint's parameters fit):
     * family, cell, gate mode and harmonics, sizes, pooling, weight tying. Dropout, sparsity and the
     * surrogate change training, not shapes, and are left out.
     */
    public String shapeKey() {
        return "family=" + family.configName() + ";cell=" + cell.configName()
                + ";gate=" + (cell.gated() ? gate.mode().configName() + "/" + gate.harmonics() : "none")
                + ";embedding=" + embedding + ";hidden=" + hidden + ";layers=" + layers
                + ";pooling=" + pooling.configName() + ";tie=" + tieWeights;
    }
}
