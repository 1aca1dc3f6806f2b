package io.surnn.ops.layers.reference;

import io.surnn.ops.layers.CellType;

/** f = tanh(W x + U h + b). Caches nothing (f itself is the candidate). */
final class RefRnnCell extends RefCell {

    @Override
    public CellType type() {
        return CellType.SURNN;
    }

    @Override
    public int slots() {
        return 0;
    }

    @Override
    public void forward(int batch, int n, int hidden, int[] rows, double[] px, double[] ph, double[] bias,
                        double[] hPrev, int hOff, double[] cPrev, int cOff,
                        double[] candH, double[] candC, double[] cache) {
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < n; r++) {
                int p = b * n + r;
                candH[p] = Math.tanh(px[p] + ph[p] + bias[rows[r]]);
            }
        }
    }

    @Override
    public void backward(int batch, int n, int hidden, int[] rows, double[] cache, double[] candH,
                         double[] hPrev, int hOff, double[] cPrev, int cOff,
                         double[] dCandH, double[] dCandC, double[] dPX, double[] dPH,
                         double[] dhDirect, double[] dcDirect) {
        for (int p = 0; p < batch * n; p++) {
            double f = candH[p];
            double d = dCandH[p] * (1 - f * f);
            dPX[p] = d;
            dPH[p] = d;
        }
    }
}
