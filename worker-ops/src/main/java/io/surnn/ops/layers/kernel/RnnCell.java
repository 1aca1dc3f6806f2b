package io.surnn.ops.layers.kernel;

import io.surnn.ops.layers.CellType;

/** f = tanh(W x + U h + b). Caches nothing (f itself is the candidate). */
final class RnnCell extends Cell {

    @Override
    CellType type() {
        return CellType.SURNN;
    }

    @Override
    int slots() {
        return 0;
    }

    @Override
    void forward(Step s) {
        for (int b = s.b0; b < s.b1; b++) {
            for (int r = 0; r < s.n; r++) {
                double pre = s.px.get(s.pxAt(b, r)) + s.ph.get(s.phAt(b, r)) + s.bias[s.rows[r]];
                s.cand.set(s.candAt(b, r), tanh(pre));
            }
        }
    }

    @Override
    void backward(Step s) {
        for (int b = s.b0; b < s.b1; b++) {
            for (int r = 0; r < s.n; r++) {
                double f = s.cand.get(s.candAt(b, r));
                int q = b * s.n + r;
                double d = s.dCandH[q] * (1 - f * f);
                s.dpx.set(s.dpxAt(b, r), d);
                s.dph.set(s.dphAt(b, r), d);
                s.dhDirect[q] = 0;
                s.dBias[s.rows[r]] += d;
            }
        }
    }
}
