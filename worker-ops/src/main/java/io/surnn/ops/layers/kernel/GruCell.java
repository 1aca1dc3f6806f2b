package io.surnn.ops.layers.kernel;

import io.surnn.ops.layers.CellType;

/**
 * Reset-after GRU candidate: r = sig(xr + hr + b_r), z = sig(xz + hz + b_z), hn = U_n h + b_hn,
 * n = tanh(xn + b_n + r * hn), f = (1 - z) n + z h. Blocks per neuron [r, z, n]; cache r, z, n, hn.
 */
final class GruCell extends Cell {

    @Override
    CellType type() {
        return CellType.SUGRU;
    }

    @Override
    int slots() {
        return 4;
    }

    @Override
    void forward(Step s) {
        int h = s.hidden;
        double[] bias = s.bias;
        for (int b = s.b0; b < s.b1; b++) {
            for (int r = 0; r < s.n; r++) {
                int i = s.rows[r];
                int x = s.pxAt(b, r);
                int p = s.phAt(b, r);
                double rg = sigmoid(s.px.get(x) + s.ph.get(p) + bias[i]);
                double zg = sigmoid(s.px.get(x + 1) + s.ph.get(p + 1) + bias[h + i]);
                double hn = s.ph.get(p + 2) + bias[3 * h + i];
                double ng = tanh(s.px.get(x + 2) + bias[2 * h + i] + rg * hn);
                double hp = s.hPrev.get(s.hOff + b * h + i);
                s.cand.set(s.candAt(b, r), (1 - zg) * ng + zg * hp);
                if (s.cache != null) {
                    int c = s.cacheAt(b, r, 4);
                    s.cache.set(c, rg);
                    s.cache.set(c + 1, zg);
                    s.cache.set(c + 2, ng);
                    s.cache.set(c + 3, hn);
                }
            }
        }
    }

    @Override
    void backward(Step s) {
        int h = s.hidden;
        double[] dBias = s.dBias;
        for (int b = s.b0; b < s.b1; b++) {
            for (int r = 0; r < s.n; r++) {
                int i = s.rows[r];
                int c = s.cacheAt(b, r, 4);
                double rg = s.cache.get(c);
                double zg = s.cache.get(c + 1);
                double ng = s.cache.get(c + 2);
                double hn = s.cache.get(c + 3);
                double hp = s.hPrev.get(s.hOff + b * h + i);
                int q = b * s.n + r;
                double df = s.dCandH[q];
                double dpn = df * (1 - zg) * (1 - ng * ng);
                double dpz = df * (hp - ng) * zg * (1 - zg);
                double dpr = dpn * hn * rg * (1 - rg);
                double dphn = dpn * rg;
                int x = s.dpxAt(b, r);
                int p = s.dphAt(b, r);
                s.dpx.set(x, dpr);
                s.dpx.set(x + 1, dpz);
                s.dpx.set(x + 2, dpn);
                s.dph.set(p, dpr);
                s.dph.set(p + 1, dpz);
                s.dph.set(p + 2, dphn);
                s.dhDirect[q] = df * zg;
                dBias[i] += dpr;
                dBias[h + i] += dpz;
                dBias[2 * h + i] += dpn;
                dBias[3 * h + i] += dphn;
            }
        }
    }
}
