package io.surnn.ops.layers.kernel;

/**
 * The candidate cell f_theta of a su-layer, with its parameter block counts.
 * Gate blocks are laid out side by side in the columns of W [nIn, G*H] and RW [H, G*H]:
 * RNN: [pre]; GRU: [r, z, n]; LSTM: [i, f, o, g] (input, forget, output, cell candidate).
 */
public enum CellType {
    /** f = tanh(W x + U h + b). */
    RNN(1, 1),
    /** Reset-after GRU; biases [b_r, b_z, b_n, b_hn] (b_hn sits inside r * (U_n h + b_hn)). */
    GRU(3, 4),
    /** LSTM producing (c, h); forget-gate bias initialised to 1. */
    LSTM(4, 4);

    /** Number G of weight column blocks of width H in W and RW. */
    public final int blocks;
    /** Number of bias blocks of width H in b. */
    public final int biasBlocks;

    CellType(int blocks, int biasBlocks) {
        this.blocks = blocks;
        this.biasBlocks = biasBlocks;
    }
}
