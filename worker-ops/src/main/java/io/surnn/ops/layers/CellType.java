package io.surnn.ops.layers;

import java.util.Arrays;
import java.util.Locale;

/**
 * The recurrent cell of a layer or a model's recurrent stack: the three selective-update cells and DL4J's
 * own LSTM (the outside baseline). For the su-cells, the candidate cell f_theta's gate blocks are laid out
 * side by side in the columns of W [nIn, G*H] and RW [H, G*H]: suRNN [pre]; suGRU [r, z, n]; suLSTM
 * [i, f, o, g] (input, forget, output, cell candidate).
 */
public enum CellType {
    /** Selective-update tanh RNN (conf.SuRnn): f = tanh(W x + U h + b). */
    SURNN(1, 1),
    /** Selective-update GRU, reset-after form (conf.SuGru), the paper's main model; biases [b_r, b_z, b_n, b_hn]. */
    SUGRU(3, 4),
    /** Selective-update LSTM (conf.SuLstm) producing (c, h); forget-gate bias initialised to 1. */
    SULSTM(4, 4),
    /** DL4J's own LSTM at equal width: the outside baseline; gate settings do not apply. */
    LSTM(4, 4);

    /** Number G of weight column blocks of width H in W and RW. */
    public final int blocks;
    /** Number of bias blocks of width H in b. */
    public final int biasBlocks;

    CellType(int blocks, int biasBlocks) {
        this.blocks = blocks;
        this.biasBlocks = biasBlocks;
    }

    /** True for the selective-update cells (this project's layers), false for DL4J's LSTM. */
    public boolean isSelective() {
        return this != LSTM;
    }

    /** The selective-update cells. */
    public static CellType[] selective() {
        return new CellType[]{SURNN, SUGRU, SULSTM};
    }

    /** Parses a name case-insensitively ("sugru", "SuGRU"); the error lists the accepted names. */
    public static CellType parse(String name) {
        for (CellType c : values()) {
            if (name != null && c.name().equalsIgnoreCase(name.trim())) {
                return c;
            }
        }
        String names = String.join(", ", Arrays.stream(values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList());
        throw new IllegalArgumentException("unknown cell type '" + name + "' (expected one of " + names + ")");
    }
}
