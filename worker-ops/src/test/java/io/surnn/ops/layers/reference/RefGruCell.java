package io.surnn.ops.layers.reference;

import io.surnn.ops.layers.CellType;

/**
 * Reset-after GRU candidate: r = sig(xr + hr + b_r), z = sig(xz + hz + b_z),
 * hn = U_n h + b_hn, n = tanh(xn + b_n + r * hn), f = (1 - z) n + z h. Cache: r, z, n, hn.
 */
final class RefGruCell extends RefCell {

    @Override
    public CellType type() {
        return CellType.SUGRU;
    }

    @Override
    public int slots() {
        return 4;
    }

    @Override
    public void forward(int batch, int n, int hidden, int[] rows, double[] px, double[] ph, double[] bias,
                        double[] hPrev, int hOff, double[] cPrev, int cOff,
                        double[] candH, double[] candC, double[] cache) {
        int gn = 3 * n;
        for (int b = 0; b < batch; b++) {
            int base = b * gn;
            for (int r = 0; r < n; r++) {
                int i = rows[r];
                double rg = sigmoid(px[base + r] + ph[base + r] + bias[i]);
                double zg = sigmoid(px[base + n + r] + ph[base + n + r] + bias[hidden + i]);
                double hn = ph[base + 2 * n + r] + bias[3 * hidden + i];
                double ng = Math.tanh(px[base + 2 * n + r] + bias[2 * hidden + i] + rg * hn);
                double hp = hPrev[hOff + b * hidden + i];
                int p = b * n + r;
                candH[p] = (1 - zg) * ng + zg * hp;
                if (cache != null) {
                    int c = p * 4;
                    cache[c] = rg;
                    cache[c + 1] = zg;
                    cache[c + 2] = ng;
                    cache[c + 3] = hn;
                }
            }
        }
    }

    @Override
    public void backward(int batch, int n, int hidden, int[] rows, double[] cache, double[] candH,
                         double[] hPrev, int hOff, double[] cPrev, int cOff,
                         double[] dCandH, double[] dCandC, double[] dPX, double[] dPH,
                         double[] dhDirect, double[] dcDirect) {
        int gn = 3 * n;
        for (int b = 0; b < batch; b++) {
            int base = b * gn;
            for (int r = 0; r < n; r++) {
                int p = b * n + r;
                int c = p * 4;
                double rg = cache[c];
                double zg = cache[c + 1];
                double ng = cache[c + 2];
                double hn = cache[c + 3];
                double hp = hPrev[hOff + b * hidden + rows[r]];
                double df = dCandH[p];
                double dpn = df * (1 - zg) * (1 - ng * ng);
                double dpz = df * (hp - ng) * zg * (1 - zg);
                double dpr = dpn * hn * rg * (1 - rg);
                dPX[base + r] = dpr;
                dPH[base + r] = dpr;
                dPX[base + n + r] = dpz;
                dPH[base + n + r] = dpz;
                dPX[base + 2 * n + r] = dpn;
                dPH[base + 2 * n + r] = dpn * rg;
                dhDirect[p] += df * zg;
            }
        }
    }

    /** r, z, n blocks from dPX; b_hn (block 3) from the recurrent-side n gradient. */
    @Override
    public void biasGradient(int batch, int n, int hidden, int[] rows, boolean[] inSet, double[] dPX, double[] dPH,
                             double[] dBias) {
        super.biasGradient(batch, n, hidden, rows, inSet, dPX, dPH, dBias);
        int gn = 3 * n;
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < n; r++) {
                if (inSet[r]) {
                    dBias[3 * hidden + rows[r]] += dPH[b * gn + 2 * n + r];
                }
            }
        }
    }
}
