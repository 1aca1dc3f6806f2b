package io.surnn.ops.layers.kernel;

/**
 * What a cell needs for one step of the recurrence, over a list of neuron rows: the kernel fills it, the
 * cell reads and writes through it (instead of a long positional argument list).
 *
 * <p>Pre-activation layout (forward px/ph, backward dpx/dph): row b of a [B, ld] matrix starting at the
 * offset, the G values of one neuron side by side (neuron-major: block j of neuron i is column
 * {@code i*G + j} of a full-width matrix). "All" matrices are full width (column base {@code rows[r]*G});
 * compact ones hold only this step's rows (column base {@code r*G}).
 */
final class Step implements Cloneable {
    int batch;
    /** The rows b0 <= b < b1 of the minibatch this Step's loops cover (a split for two threads). */
    int b0;
    int b1;
    int hidden;
    /** G: pre-activation blocks per neuron. */
    int blocks;

    /** The step t (within the window). */
    int t;

    /** Rows of this loop: n neuron indices (sorted). */
    int n;
    int[] rows;
    /** Position of rows[r] among the step's candidates (cache and candidate index), or null for r itself. */
    int[] slot;
    /** Number of candidates of the step (the cache's row width). */
    int candidates;

    /** Input-side pre-activations x W (no bias). */
    Buf px;
    int pxOff;
    int pxLd;
    boolean pxAll;
    /** Recurrent-side pre-activations h_prev U (no bias); always compact. */
    Buf ph;
    int phOff;
    int phLd;
    /** Biases [NB*H], block j of neuron i at j*H + i. */
    double[] bias;

    /** Previous state h_{t-1} [B, H] at hOff (row stride H); c likewise (LSTM). */
    Buf hPrev;
    int hOff;
    Buf cPrev;
    int cOff;

    /** Candidates: f_h at candOff + b*candidates + q; f_c (LSTM) after B*candidates more. */
    Buf cand;
    int candOff;
    /** Per-(b, q) cache of {@link Cell#slots()} values at cacheOff + (b*candidates + q)*slots, or null. */
    Buf cache;
    int cacheOff;

    /** Backward inputs: dL/df_h, dL/df_c at [b*n + r]. */
    double[] dCandH;
    double[] dCandC;
    /** Backward outputs: gradients of the input-side and recurrent-side pre-activations. */
    Buf dpx;
    int dpxOff;
    int dpxLd;
    Buf dph;
    int dphOff;
    int dphLd;
    boolean dAll;
    /** Backward outputs: direct (non-product) parts of dL/dh_prev, dL/dc_prev at [b*n + r] (overwritten). */
    double[] dhDirect;
    double[] dcDirect;
    /** Bias gradient, accumulated. */
    double[] dBias;
    /** dL/dg [T*H], accumulated (null when the gate gets no gradient). */
    double[] dLdg;

    /** A shallow copy (same buffers and arrays) for the second half of a split. */
    Step copy() {
        try {
            return (Step) clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }

    int slot(int r) {
        return slot == null ? r : slot[r];
    }

    int pxAt(int b, int r) {
        return pxOff + b * pxLd + (pxAll ? rows[r] : r) * blocks;
    }

    int phAt(int b, int r) {
        return phOff + b * phLd + r * blocks;
    }

    int dpxAt(int b, int r) {
        return dpxOff + b * dpxLd + (dAll ? rows[r] : r) * blocks;
    }

    int dphAt(int b, int r) {
        return dphOff + b * dphLd + (dAll ? rows[r] : r) * blocks;
    }

    int candAt(int b, int r) {
        return candOff + b * candidates + slot(r);
    }

    int candCAt(int b, int r) {
        return candOff + batch * candidates + b * candidates + slot(r);
    }

    int cacheAt(int b, int r, int slots) {
        return cacheOff + (b * candidates + slot(r)) * slots;
    }
}
