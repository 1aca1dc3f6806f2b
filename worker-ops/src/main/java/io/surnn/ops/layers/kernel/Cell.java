package io.surnn.ops.layers.kernel;

import io.surnn.ops.layers.CellType;

/**
 * The candidate cell f_theta of a su-layer for one step, over the rows of a {@link Step}: element-wise
 * work only (the kernel does every product). Row-separable: row i only reads block values of neuron i,
 * so any subset of rows is computed alone (docs/layers.md).
 */
abstract class Cell {

    static Cell of(CellType type) {
        switch (type) {
            case SURNN:
                return new RnnCell();
            case SUGRU:
                return new GruCell();
            case SULSTM:
                return new LstmCell();
            default:
                throw new IllegalStateException("unreachable: " + type);
        }
    }

    abstract CellType type();

    /** Values cached per (b, candidate) for the backward pass. */
    abstract int slots();

    boolean hasCellState() {
        return false;
    }

    /** Writes the candidates (and, when s.cache != null, the cache) of rows 0..n-1 for every b. */
    abstract void forward(Step s);

    /**
     * From dCandH (dCandC) of rows 0..n-1: writes dpx, dph (every block of each row), the direct parts of
     * dL/dh_prev (dL/dc_prev), and adds the bias gradient.
     */
    abstract void backward(Step s);

    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }

    /**
     * tanh through the JIT's exp intrinsic: JDK 17's Math.tanh is a JNI call into StrictMath, which a JFR
     * profile of the dense suGRU showed as one of its largest costs. Relative error below 1e-12 for
     * |v| >= 1e-4 (cancellation in 1 - e), a two-term series below that; exact sign and saturation.
     */
    static double tanh(double v) {
        double a = Math.abs(v);
        if (a < 1e-4) {
            return v * (1 - v * v / 3);
        }
        double e = Math.exp(-2 * a);
        return Math.copySign((1 - e) / (1 + e), v);
    }
}
