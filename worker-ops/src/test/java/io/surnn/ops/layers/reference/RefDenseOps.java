package io.surnn.ops.layers.reference;

import io.surnn.ops.layers.CellType;

/**
 * The few matrix loops the kernels need, written as axpy inner loops over contiguous memory so that the
 * JIT vectorises them (a dot-product inner loop is a floating-point reduction, which it does not).
 */
final class RefDenseOps {

    /** Column block so that one block of C ([rows, BLOCK] doubles) stays in L2 across the k loop. */
    private static final int BLOCK = 256;

    private RefDenseOps() {
    }

    /**
     * C[b, c] += sum_j A[b, j] * M[j, c] for b < rows, c < cols; A is [rows, k] at aOff (row stride k),
     * M is [k, cols], C is [rows, cols]. With skipZeroA, zero entries of A are skipped (input side:
     * one-hot or padded inputs), for the sparse and dense paths alike.
     */
    static void gemmAcc(double[] a, int aOff, int rows, int k, double[] m, int cols, double[] c, boolean skipZeroA) {
        for (int c0 = 0; c0 < cols; c0 += BLOCK) {
            int c1 = Math.min(cols, c0 + BLOCK);
            for (int j = 0; j < k; j++) {
                int mOff = j * cols;
                for (int b = 0; b < rows; b++) {
                    double av = a[aOff + b * k + j];
                    if (skipZeroA && av == 0) {
                        continue;
                    }
                    int cOff = b * cols;
                    for (int col = c0; col < c1; col++) {
                        c[cOff + col] += av * m[mOff + col];
                    }
                }
            }
        }
    }

    /** y[yOff .. yOff+len) += a * x[xOff .. xOff+len). */
    static void axpy(double a, double[] x, int xOff, double[] y, int yOff, int len) {
        for (int q = 0; q < len; q++) {
            y[yOff + q] += a * x[xOff + q];
        }
    }

    /**
     * Gathers the columns {@code j*H + rows[r]} (for each block j < blocks) of M [k, blocks*H] into
     * out [k, blocks*n], column {@code j*n + r}.
     */
    static void gatherColumns(double[] m, int k, int hidden, int blocks, int[] rows, int n, double[] out) {
        int gh = blocks * hidden;
        int gn = blocks * n;
        for (int q = 0; q < k; q++) {
            int src = q * gh;
            int dst = q * gn;
            for (int j = 0; j < blocks; j++) {
                int s = src + j * hidden;
                int d = dst + j * n;
                for (int r = 0; r < n; r++) {
                    out[d + r] = m[s + rows[r]];
                }
            }
        }
    }

    /** Transpose of a row-major [rows, cols] matrix into [cols, rows]. */
    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }
}
