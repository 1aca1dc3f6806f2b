package io.surnn.ops.models;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.CellType;

/**
 * The default of every model and gate knob, stated once: the model builders
 * ({@link RecurrentModelBuilder} and its families) and the su-layer builder
 * ({@code io.surnn.ops.layers.conf.SuLayerConf.Builder}) start from these values.
 *
 * <p>Design note: the values are those of the driver's {@code reference.conf} ({@code surnn.model.*}
 * and the {@code surnn.train.*} settings a builder carries), which is what users read as the defaults;
 * a driver test loads reference.conf and compares it key by key with these constants, so the two cannot
 * drift. Builder-only knobs with no config key (vocabulary or input size, class count, the dual
 * encoder's MLP width, sparse labels, truncated BPTT, which a builder leaves off unless asked and the
 * driver always sets from {@code train.tbptt}) keep their defaults in their builders.
 */
public final class Defaults {
    private Defaults() {}

    /** {@code model.cell}. */
    public static final CellType CELL = CellType.SUGRU;
    /** {@code model.gate.mode}. */
    public static final GateMode GATE_MODE = GateMode.RHYTHMIC;
    /** {@code model.gate.harmonics}: K sinusoids per neuron. */
    public static final int HARMONICS = 4;
    /** {@code model.gate.surrogate}. */
    public static final Surrogate SURROGATE = Surrogate.TRIANGLE;
    /** {@code model.gate.width}: the surrogate's half-width w. */
    public static final double SURROGATE_WIDTH = 1.0;
    /** {@code model.gate.initial-update-rate}: p0. */
    public static final double INITIAL_UPDATE_RATE = 0.2;
    /** {@code model.sparse}: the open-rows-only kernels. */
    public static final boolean SPARSE = true;
    /** {@code model.embedding}. */
    public static final int EMBEDDING_SIZE = 64;
    /** {@code model.hidden}. */
    public static final int HIDDEN_SIZE = 128;
    /** {@code model.layers}. */
    public static final int LAYERS = 2;
    /** {@code model.dropout}: drop probability between layers. */
    public static final double DROPOUT = 0.1;
    /** {@code model.pooling}. */
    public static final Readout READOUT = Readout.MEAN;
    /** {@code model.output.softmax}. */
    public static final OutputSoftmax OUTPUT_SOFTMAX = OutputSoftmax.FULL;
    /** {@code model.output.tail-shrink}. */
    public static final int TAIL_SHRINK = 4;
    /** {@code model.output.tie-embeddings}. */
    public static final boolean TIE_EMBEDDINGS = false;

    /** {@code train.seed}. */
    public static final long SEED = 42;
    /** {@code train.optimizer.name}. */
    public static final Optimizer OPTIMIZER = Optimizer.ADAM;
    /** {@code train.optimizer.lr}. */
    public static final double LEARNING_RATE = 1e-3;
    /** {@code train.optimizer.weight-decay}: decoupled (ADAMW) or as L2 (ADAM). */
    public static final double WEIGHT_DECAY = 0.0;
    /** {@code train.clip}: gradient L2-norm clip per layer. */
    public static final double GRADIENT_CLIP = 1.0;
}
