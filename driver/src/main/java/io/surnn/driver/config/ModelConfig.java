package io.surnn.driver.config;

import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.OutputSoftmax;
import io.surnn.ops.models.Readout;

import java.util.Arrays;

/**
 * {@code surnn.model}: the network's family, cell, sizes and gate. The parts that shape the
 * parameters are listed in {@link #shapeKey()}, which feeds the resume fingerprint. The cell
 * ({@code model.cell}; LSTM is DL4J's own LSTM layer, the outside baseline, with no gate) and the
 * classifier's pooling ({@code model.pooling}: how per-step states become one vector) are worker-ops'
 * own {@link CellType} and {@link Readout}.
 */
public record ModelConfig(Family family, CellType cell, GateConfig gate, boolean sparse, int embedding,
                          int hidden, int layers, double dropout, Readout pooling, Output output) {

    /**
     * {@code model.output} (language models): the softmax over the vocabulary, the adaptive softmax's
     * cut-offs (null = derived from the vocabulary size) and tail shrink factor, and embedding tying.
     */
    public record Output(OutputSoftmax softmax, int[] cutoffs, int tailShrink, boolean tieEmbeddings) {
        /** The defaults: full softmax, untied. */
        public static Output full() {
            return new Output(OutputSoftmax.FULL, null, 4, false);
        }

        String shapeKey() {
            return "softmax=" + ConfigEnum.configName(softmax) + (softmax == OutputSoftmax.ADAPTIVE
                    ? "/" + (cutoffs == null ? "auto" : Arrays.toString(cutoffs)) + "/" + tailShrink : "")
                    + ";tie=" + tieEmbeddings;
        }
    }

    /** lm: next-token language model; classifier: one label per sequence; dual-encoder: pairs. */
    public enum Family implements ConfigEnum { LM, CLASSIFIER, DUAL_ENCODER }

    /**
     * The settings that decide the parameter shapes (and so whether a checkpoint's parameters fit):
     * family, cell, gate mode and harmonics, sizes, pooling, the output layer. Dropout, sparsity and the
     * surrogate change training, not shapes, and are left out.
     */
    public String shapeKey() {
        return "family=" + family.configName() + ";cell=" + ConfigEnum.configName(cell)
                + ";gate=" + (cell.isSelective() ? ConfigEnum.configName(gate.mode()) + "/" + gate.harmonics() : "none")
                + ";embedding=" + embedding + ";hidden=" + hidden + ";layers=" + layers
                + ";pooling=" + ConfigEnum.configName(pooling) + ";" + output.shapeKey();
    }
}
