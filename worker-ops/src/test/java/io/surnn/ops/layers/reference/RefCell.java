package io.surnn.ops.layers.reference;

import io.surnn.ops.layers.CellType;

/**
 * Elementwise part of a candidate cell f_theta for one step, over the candidate rows of that step.
 *
 * <p>Layouts (all row-major double[]): pre-activations without bias {@code px, ph} are [B, G*n] with
 * column {@code j*n + r} = block j of candidate row r (neuron {@code rows[r]}); candidate outputs
 * {@code candH, candC} and the direct gradients are [B, n]; the per-(b, r) cache holds
 * {@link #slots()} values at {@code (b*n + r)*slots}. Biases are [NB*H] with neuron i of block j at
 * {@code j*H + i}. Row-separable: row r only reads row r of every block, so any subset of rows can be
 * computed alone (docs/method.md §3.4).
 */
public abstract class RefCell {

    /** The cell for a family. */
    public static RefCell of(CellType type) {
        switch (type) {
            case SURNN:
                return new RefRnnCell();
            case SUGRU:
                return new RefGruCell();
            case SULSTM:
                return new RefLstmCell();
            default:
                throw new IllegalStateException("unreachable: " + type);
        }
    }

    public abstract CellType type();

    /** Values cached per (b, r) for the backward pass. */
    public abstract int slots();

    /** True when the cell has a cell state c (LSTM). */
    public boolean hasCellState() {
        return false;
    }

    /**
     * Candidate for every (b, r): writes candH (and candC for LSTM) and, when cache != null, the cache.
     * hPrev/cPrev are [B, H] starting at hOff/cOff.
     */
    public abstract void forward(int batch, int n, int hidden, int[] rows, double[] px, double[] ph, double[] bias,
                                 double[] hPrev, int hOff, double[] cPrev, int cOff,
                                 double[] candH, double[] candC, double[] cache);

    /**
     * Backward through the candidate: given dCandH (and dCandC) [B, n], writes dPX/dPH [B, G*n] (gradients
     * of the input-side and recurrent-side pre-activations, equal except for GRU's n block) and ADDS the
     * direct (non-matrix) contributions to dhPrev / dcPrev [B, n].
     */
    public abstract void backward(int batch, int n, int hidden, int[] rows, double[] cache, double[] candH,
                                  double[] hPrev, int hOff, double[] cPrev, int cOff,
                                  double[] dCandH, double[] dCandC, double[] dPX, double[] dPH,
                                  double[] dhDirect, double[] dcDirect);

    /** Adds the bias gradients of one step, for candidate rows that are in the backward set. */
    public void biasGradient(int batch, int n, int hidden, int[] rows, boolean[] inSet, double[] dPX, double[] dPH,
                             double[] dBias) {
        int gn = type().blocks * n;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < type().blocks; j++) {
                for (int r = 0; r < n; r++) {
                    if (inSet[r]) {
                        dBias[j * hidden + rows[r]] += dPX[b * gn + j * n + r];
                    }
                }
            }
        }
    }

    static double sigmoid(double v) {
        return 1.0 / (1.0 + Math.exp(-v));
    }
}
