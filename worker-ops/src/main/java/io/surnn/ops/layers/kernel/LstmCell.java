package io.surnn.ops.layers.kernel;

import io.surnn.ops.layers.CellType;

/**
 * LSTM candidate (c', h'): i, f, o = sig(.), g = tanh(.), c' = f c + i g, h' = o tanh(c').
 * Blocks per neuron [i, f, o, g]; cache i, f, o, g, tanh(c').
 */
final class LstmCell extends Cell {

    @Override
    CellType type() {
        return CellType.SULSTM;
    }

    @Override
    int slots() {
        return 5;
    }

    @Override
    boolean hasCellState() {
        return true;
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
                double ig = sigmoid(s.px.get(x) + s.ph.get(p) + bias[i]);
                double fg = sigmoid(s.px.get(x + 1) + s.ph.get(p + 1) + bias[h + i]);
                double og = sigmoid(s.px.get(x + 2) + s.ph.get(p + 2) + bias[2 * h + i]);
                double gg = tanh(s.px.get(x + 3) + s.ph.get(p + 3) + bias[3 * h + i]);
                double cp = s.cPrev.get(s.cOff + b * h + i);
                double cn = fg * cp + ig * gg;
                double tc = tanh(cn);
                s.cand.set(s.candCAt(b, r), cn);
                s.cand.set(s.candAt(b, r), og * tc);
                if (s.cache != null) {
                    int c = s.cacheAt(b, r, 5);
                    s.cache.set(c, ig);
                    s.cache.set(c + 1, fg);
                    s.cache.set(c + 2, og);
                    s.cache.set(c + 3, gg);
                    s.cache.set(c + 4, tc);
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
                int c = s.cacheAt(b, r, 5);
                double ig = s.cache.get(c);
                double fg = s.cache.get(c + 1);
                double og = s.cache.get(c + 2);
                double gg = s.cache.get(c + 3);
                double tc = s.cache.get(c + 4);
                double cp = s.cPrev.get(s.cOff + b * h + i);
                int q = b * s.n + r;
                double dhc = s.dCandH[q];
                double dcn = s.dCandC[q] + dhc * og * (1 - tc * tc);
                double[] d = {dcn * gg * ig * (1 - ig), dcn * cp * fg * (1 - fg), dhc * tc * og * (1 - og),
                    dcn * ig * (1 - gg * gg)};
                int x = s.dpxAt(b, r);
                int p = s.dphAt(b, r);
                for (int j = 0; j < 4; j++) {
                    s.dpx.set(x + j, d[j]);
                    s.dph.set(p + j, d[j]);
                    dBias[j * h + i] += d[j];
                }
                s.dhDirect[q] = 0;
                s.dcDirect[q] = dcn * fg;
            }
        }
    }
}
