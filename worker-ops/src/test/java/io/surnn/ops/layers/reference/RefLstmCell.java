package io.surnn.ops.layers.reference;

import io.surnn.ops.layers.CellType;

/**
 * LSTM candidate (c', h'): i, f, o = sig(.), g = tanh(.), c' = f c + i g, h' = o tanh(c').
 * Cache: i, f, o, g, tanh(c').
 */
final class RefLstmCell extends RefCell {

    @Override
    public CellType type() {
        return CellType.SULSTM;
    }

    @Override
    public int slots() {
        return 5;
    }

    @Override
    public boolean hasCellState() {
        return true;
    }

    @Override
    public void forward(int batch, int n, int hidden, int[] rows, double[] px, double[] ph, double[] bias,
                        double[] hPrev, int hOff, double[] cPrev, int cOff,
                        double[] candH, double[] candC, double[] cache) {
        int gn = 4 * n;
        for (int b = 0; b < batch; b++) {
            int base = b * gn;
            for (int r = 0; r < n; r++) {
                int i = rows[r];
                double ig = sigmoid(px[base + r] + ph[base + r] + bias[i]);
                double fg = sigmoid(px[base + n + r] + ph[base + n + r] + bias[hidden + i]);
                double og = sigmoid(px[base + 2 * n + r] + ph[base + 2 * n + r] + bias[2 * hidden + i]);
                double gg = Math.tanh(px[base + 3 * n + r] + ph[base + 3 * n + r] + bias[3 * hidden + i]);
                double cp = cPrev[cOff + b * hidden + i];
                double cn = fg * cp + ig * gg;
                double tc = Math.tanh(cn);
                int p = b * n + r;
                candC[p] = cn;
                candH[p] = og * tc;
                if (cache != null) {
                    int c = p * 5;
                    cache[c] = ig;
                    cache[c + 1] = fg;
                    cache[c + 2] = og;
                    cache[c + 3] = gg;
                    cache[c + 4] = tc;
                }
            }
        }
    }

    @Override
    public void backward(int batch, int n, int hidden, int[] rows, double[] cache, double[] candH,
                         double[] hPrev, int hOff, double[] cPrev, int cOff,
                         double[] dCandH, double[] dCandC, double[] dPX, double[] dPH,
                         double[] dhDirect, double[] dcDirect) {
        int gn = 4 * n;
        for (int b = 0; b < batch; b++) {
            int base = b * gn;
            for (int r = 0; r < n; r++) {
                int p = b * n + r;
                int c = p * 5;
                double ig = cache[c];
                double fg = cache[c + 1];
                double og = cache[c + 2];
                double gg = cache[c + 3];
                double tc = cache[c + 4];
                double cp = cPrev[cOff + b * hidden + rows[r]];
                double dhc = dCandH[p];
                double dcn = dCandC[p] + dhc * og * (1 - tc * tc);
                double di = dcn * gg * ig * (1 - ig);
                double df = dcn * cp * fg * (1 - fg);
                double dob = dhc * tc * og * (1 - og);
                double dg = dcn * ig * (1 - gg * gg);
                dPX[base + r] = di;
                dPX[base + n + r] = df;
                dPX[base + 2 * n + r] = dob;
                dPX[base + 3 * n + r] = dg;
                dPH[base + r] = di;
                dPH[base + n + r] = df;
                dPH[base + 2 * n + r] = dob;
                dPH[base + 3 * n + r] = dg;
                dcDirect[p] += dcn * fg;
            }
        }
    }
}
