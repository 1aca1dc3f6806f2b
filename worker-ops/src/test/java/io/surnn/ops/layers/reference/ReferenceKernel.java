package io.surnn.ops.layers.reference;

import io.surnn.ops.layers.CellType;

import io.surnn.ops.gate.GateSchedule;

/**
 * The reference kernel: the first, plain-Java float64 implementation of the su-layers (forward and
 * hand-written backward over one window of steps), kept in the tests as the independent oracle that the
 * native kernel ({@code io.surnn.ops.layers.kernel.SuKernel}) is checked against in float64.
 *
 * <p>Design note. Per step t the gate schedule (computed in advance) lists the candidate rows R_t. The
 * new state starts as a bitwise copy of the previous one (closed rows cost one copy: exact carry), the
 * input-side and recurrent-side pre-activations are computed only for the columns of R_t (the weight
 * columns are gathered into contiguous scratch so the products stay vectorisable axpy loops), the cell
 * computes the candidate, and the switch writes {@code h = h_prev + g (f - h_prev)} (g = 1: f exactly;
 * g = 0 or a padded step: h_prev untouched). Backward walks the steps in reverse: the gradient of every
 * row passes through unchanged (identity of a closed row), rows of R_t add the gate gradient
 * {@code dL/dg = dL/dh (f - h_prev)}, and only open rows (g != 0) back-propagate into the cell, so the
 * four backward products ({@code dh_prev, dRW, dx, dW}) touch |A_t| columns. With a dense schedule
 * (sparse = false) R_t and A_t are every row: the same code computes all rows and selects.
 *
 * <p>Layouts (row-major double[]): x [T, B, I]; states [T, B, H]; mask [T, B] (1 real, 0 padded) or
 * null; W [I, G*H]; RW [H, G*H]; bias [NB*H].
 */
public final class ReferenceKernel {

    private final RefCell cell;
    private final int in;
    private final int hidden;
    private final int blocks;
    private final double[] w;
    private final double[] rw;
    private final double[] bias;

    public ReferenceKernel(CellType type, int in, int hidden, double[] w, double[] rw, double[] bias) {
        this.cell = RefCell.of(type);
        this.in = in;
        this.hidden = hidden;
        this.blocks = type.blocks;
        this.w = w;
        this.rw = rw;
        this.bias = bias;
    }

    public RefCell cell() {
        return cell;
    }

    /** What the forward pass produced, and what its backward pass needs. */
    public static final class Forward {
        public final int batch;
        public final int steps;
        /** h_t for t in the window, [T, B, H] (not masked). */
        public final double[] hs;
        /** c_t (LSTM) [T, B, H], else null. */
        public final double[] cs;
        final double[] x;
        final double[] h0;
        final double[] c0;
        final double[] mask;
        /** The gate schedule the pass ran with. */
        public final GateSchedule schedule;
        final double[][] cache;
        final double[][] candH;
        final double[][] candC;

        Forward(int batch, int steps, double[] hs, double[] cs, double[] x, double[] h0, double[] c0, double[] mask,
                GateSchedule schedule, double[][] cache, double[][] candH, double[][] candC) {
            this.batch = batch;
            this.steps = steps;
            this.hs = hs;
            this.cs = cs;
            this.x = x;
            this.h0 = h0;
            this.c0 = c0;
            this.mask = mask;
            this.schedule = schedule;
            this.cache = cache;
            this.candH = candH;
            this.candC = candC;
        }

        /** Copy of the last state h_{T-1} [B, H] (h0 when the window is empty). */
        public double[] lastH(int hidden) {
            return last(hs, h0, hidden);
        }

        /** Copy of the last cell state (LSTM) or null. */
        public double[] lastC(int hidden) {
            return cs == null ? null : last(cs, c0, hidden);
        }

        private double[] last(double[] all, double[] init, int hidden) {
            int n = batch * hidden;
            double[] out = new double[n];
            System.arraycopy(steps == 0 ? init : all, steps == 0 ? 0 : (steps - 1) * n, out, 0, n);
            return out;
        }
    }

    /** Gradients of one backward pass (row-major, parameter layouts). */
    public static final class Backward {
        public final double[] dW;
        public final double[] dRW;
        public final double[] dBias;
        /** dL/dx [T, B, I]. */
        public final double[] dx;
        /** dL/dg [T, H] summed over the batch; null when the gate gets no gradient. */
        public final double[] dLdg;
        /** First step (within the window) that received gradient. */
        public final int fromStep;

        Backward(double[] dW, double[] dRW, double[] dBias, double[] dx, double[] dLdg, int fromStep) {
            this.dW = dW;
            this.dRW = dRW;
            this.dBias = dBias;
            this.dx = dx;
            this.dLdg = dLdg;
            this.fromStep = fromStep;
        }
    }

    /**
     * Runs the recurrence.
     *
     * @param h0       initial state [B, H]; c0 likewise for LSTM (ignored otherwise)
     * @param training keep what backward needs (cell caches and candidates per step)
     */
    public Forward forward(double[] x, int batch, int steps, double[] h0, double[] c0, double[] mask,
                           GateSchedule sch, boolean training) {
        boolean lstm = cell.hasCellState();
        int bh = batch * hidden;
        double[] hs = new double[steps * bh];
        double[] cs = lstm ? new double[steps * bh] : null;
        double[][] cache = training ? new double[steps][] : null;
        double[][] candHs = training ? new double[steps][] : null;
        double[][] candCs = training && lstm ? new double[steps][] : null;
        Scratch s = new Scratch(batch, sch.maxCandidates(), hidden, in, blocks);
        for (int t = 0; t < steps; t++) {
            double[] hPrev = t == 0 ? h0 : hs;
            int pOff = t == 0 ? 0 : (t - 1) * bh;
            double[] cPrev = lstm ? (t == 0 ? c0 : cs) : null;
            int out = t * bh;
            System.arraycopy(hPrev, pOff, hs, out, bh); // closed rows: bitwise carry
            if (lstm) {
                System.arraycopy(cPrev, pOff, cs, out, bh);
            }
            int[] rows = sch.candidateRows[t];
            int n = rows.length;
            if (n == 0) {
                continue;
            }
            int gn = blocks * n;
            double[] candH = new double[batch * n];
            double[] candC = lstm ? new double[batch * n] : null;
            double[] cch = training && cell.slots() > 0 ? new double[batch * n * cell.slots()] : null;
            preActivations(s, x, t * batch * in, hPrev, pOff, batch, rows, n);
            cell.forward(batch, n, hidden, rows, s.px, s.ph, bias, hPrev, pOff, cPrev, pOff, candH, candC, cch);
            for (int b = 0; b < batch; b++) {
                boolean real = mask == null || mask[t * batch + b] != 0;
                if (!real) {
                    continue; // padded step: closed for every neuron
                }
                for (int r = 0; r < n; r++) {
                    int i = rows[r];
                    double gv = sch.g[t * hidden + i];
                    if (gv == 0) {
                        continue;
                    }
                    int at = out + b * hidden + i;
                    int p = b * n + r;
                    hs[at] = gv == 1 ? candH[p] : hs[at] + gv * (candH[p] - hs[at]);
                    if (lstm) {
                        cs[at] = gv == 1 ? candC[p] : cs[at] + gv * (candC[p] - cs[at]);
                    }
                }
            }
            if (training) {
                cache[t] = cch;
                candHs[t] = candH;
                if (lstm) {
                    candCs[t] = candC;
                }
            }
            java.util.Arrays.fill(s.px, 0, batch * gn, 0.0);
            java.util.Arrays.fill(s.ph, 0, batch * gn, 0.0);
        }
        return new Forward(batch, steps, hs, cs, x, h0, c0, mask, sch, cache, candHs, candCs);
    }

    /** px [B, G*n] = x_t W[:, cols(R_t)];  ph [B, G*n] = h_{t-1} RW[:, cols(R_t)] (no bias). */
    private void preActivations(Scratch s, double[] x, int xOff, double[] hPrev, int pOff, int batch, int[] rows,
                                int n) {
        int gn = blocks * n;
        double[] wSel = w;
        double[] rwSel = rw;
        if (n < hidden) {
            RefDenseOps.gatherColumns(w, in, hidden, blocks, rows, n, s.wSel);   // [I, G*n]
            RefDenseOps.gatherColumns(rw, hidden, hidden, blocks, rows, n, s.rwSel); // [H, G*n]
            wSel = s.wSel;
            rwSel = s.rwSel;
        }
        RefDenseOps.gemmAcc(x, xOff, batch, in, wSel, gn, s.px, true);          // [B, G*n] = [B, I] x [I, G*n]
        RefDenseOps.gemmAcc(hPrev, pOff, batch, hidden, rwSel, gn, s.ph, false); // [B, G*n] = [B, H] x [H, G*n]
    }

    /**
     * Back-propagates dL/dh_t (eps [T, B, H], the gradient w.r.t. the layer's output; masked steps are
     * ignored as their output is zero) through the window.
     *
     * @param tbpttLength only the last tbpttLength steps are back-propagated (<= 0: all)
     * @param gateGrad    accumulate dL/dg for the gate parameters
     */
    public Backward backward(Forward f, double[] eps, int tbpttLength, boolean gateGrad) {
        if (f.candH == null) {
            throw new IllegalStateException("backward needs a forward pass run with training = true");
        }
        boolean lstm = cell.hasCellState();
        int batch = f.batch;
        int steps = f.steps;
        int bh = batch * hidden;
        int gh = blocks * hidden;
        GateSchedule sch = f.schedule;
        double[] rwT = RefDenseOps.transpose(rw, hidden, gh); // [G*H, H]
        double[] wT = RefDenseOps.transpose(w, in, gh);       // [G*H, I]
        double[] dRwT = new double[gh * hidden];
        double[] dWT = new double[gh * in];
        double[] dBias = new double[bias.length];
        double[] dx = new double[steps * batch * in];
        double[] dLdg = gateGrad && sch.dgda != null ? new double[steps * hidden] : null;
        double[] dh = new double[bh];
        double[] dc = lstm ? new double[bh] : null;
        double[] dhNext = new double[bh];
        double[] dcNext = lstm ? new double[bh] : null;
        Scratch s = new Scratch(batch, sch.maxCandidates(), hidden, in, blocks);
        int from = tbpttLength > 0 ? Math.max(0, steps - tbpttLength) : 0;
        for (int t = steps - 1; t >= from; t--) {
            int out = t * bh;
            for (int b = 0; b < batch; b++) {
                if (f.mask == null || f.mask[t * batch + b] != 0) {
                    RefDenseOps.axpy(1.0, eps, out + b * hidden, dh, b * hidden, hidden);
                }
            }
            System.arraycopy(dh, 0, dhNext, 0, bh); // identity through closed rows
            if (lstm) {
                System.arraycopy(dc, 0, dcNext, 0, bh);
            }
            int[] rows = sch.candidateRows[t];
            if (rows.length > 0) {
                backwardStep(f, t, rows, s, rwT, wT, dRwT, dWT, dBias, dx, dLdg, dh, dc, dhNext, dcNext);
            }
            double[] tmp = dh;
            dh = dhNext;
            dhNext = tmp;
            if (lstm) {
                tmp = dc;
                dc = dcNext;
                dcNext = tmp;
            }
        }
        return new Backward(RefDenseOps.transpose(dWT, gh, in), RefDenseOps.transpose(dRwT, gh, hidden), dBias, dx, dLdg,
                from);
    }

    private void backwardStep(Forward f, int t, int[] rows, Scratch s, double[] rwT, double[] wT, double[] dRwT,
                              double[] dWT, double[] dBias, double[] dx, double[] dLdg, double[] dh, double[] dc,
                              double[] dhNext, double[] dcNext) {
        boolean lstm = cell.hasCellState();
        int batch = f.batch;
        int bh = batch * hidden;
        int n = rows.length;
        int gn = blocks * n;
        GateSchedule sch = f.schedule;
        double[] hPrev = t == 0 ? f.h0 : f.hs;
        double[] cPrev = lstm ? (t == 0 ? f.c0 : f.cs) : null;
        int pOff = t == 0 ? 0 : (t - 1) * bh;
        double[] candH = f.candH[t];
        double[] candC = lstm ? f.candC[t] : null;
        // Switch: h_t = h_prev + g (f - h_prev); split dL/dh_t into the candidate, the carry and the gate.
        for (int b = 0; b < batch; b++) {
            boolean real = f.mask == null || f.mask[t * batch + b] != 0;
            for (int r = 0; r < n; r++) {
                int i = rows[r];
                int at = b * hidden + i;
                int p = b * n + r;
                double gv = real ? sch.g[t * hidden + i] : 0.0;
                double dhv = dh[at];
                double dcv = lstm ? dc[at] : 0.0;
                if (dLdg != null && real) {
                    double dg = dhv * (candH[p] - hPrev[pOff + at]);
                    if (lstm) {
                        dg += dcv * (candC[p] - cPrev[pOff + at]);
                    }
                    dLdg[t * hidden + i] += dg;
                }
                s.dCandH[p] = dhv * gv;
                dhNext[at] = dhv - dhv * gv;
                if (lstm) {
                    s.dCandC[p] = dcv * gv;
                    dcNext[at] = dcv - dcv * gv;
                }
                s.dhDirect[p] = 0;
                if (lstm) {
                    s.dcDirect[p] = 0;
                }
            }
        }
        cell.backward(batch, n, hidden, rows, f.cache[t], candH, hPrev, pOff, cPrev, pOff, s.dCandH, s.dCandC,
                s.dPX, s.dPH, s.dhDirect, s.dcDirect);
        for (int b = 0; b < batch; b++) {
            for (int r = 0; r < n; r++) {
                int at = b * hidden + rows[r];
                dhNext[at] += s.dhDirect[b * n + r];
                if (lstm) {
                    dcNext[at] += s.dcDirect[b * n + r];
                }
            }
        }
        // Backward set: open rows only (sparse); every row (dense reference).
        for (int r = 0; r < n; r++) {
            s.inSet[r] = !sch.sparse || sch.g[t * hidden + rows[r]] != 0;
        }
        cell.biasGradient(batch, n, hidden, rows, s.inSet, s.dPX, s.dPH, dBias);
        int xOff = t * batch * in;
        for (int j = 0; j < blocks; j++) {
            for (int r = 0; r < n; r++) {
                if (!s.inSet[r]) {
                    continue;
                }
                int col = j * hidden + rows[r];
                int c = j * n + r;
                for (int b = 0; b < batch; b++) {
                    double vh = s.dPH[b * gn + c];
                    double vx = s.dPX[b * gn + c];
                    RefDenseOps.axpy(vh, rwT, col * hidden, dhNext, b * hidden, hidden); // dh_prev[b,:] += vh RW[:, col]
                    RefDenseOps.axpy(vh, hPrev, pOff + b * hidden, dRwT, col * hidden, hidden); // dRW[:, col] += vh h_prev[b,:]
                    RefDenseOps.axpy(vx, wT, col * in, dx, xOff + b * in, in);             // dx[b,:] += vx W[:, col]
                    RefDenseOps.axpy(vx, f.x, xOff + b * in, dWT, col * in, in);           // dW[:, col] += vx x[b,:]
                }
            }
        }
    }

    /** Per-call scratch sized for the largest candidate set of the window. */
    private static final class Scratch {
        final double[] px;
        final double[] ph;
        final double[] wSel;
        final double[] rwSel;
        final double[] dCandH;
        final double[] dCandC;
        final double[] dPX;
        final double[] dPH;
        final double[] dhDirect;
        final double[] dcDirect;
        final boolean[] inSet;

        Scratch(int batch, int maxRows, int hidden, int in, int blocks) {
            int gh = blocks * maxRows;
            px = new double[batch * gh];
            ph = new double[batch * gh];
            boolean gather = maxRows > 0; // sized for partial candidate sets (full sets read W/RW directly)
            wSel = gather ? new double[in * gh] : null;
            rwSel = gather ? new double[hidden * gh] : null;
            dCandH = new double[batch * maxRows];
            dCandC = new double[batch * maxRows];
            dPX = new double[batch * gh];
            dPH = new double[batch * gh];
            dhDirect = new double[batch * maxRows];
            dcDirect = new double[batch * maxRows];
            inSet = new boolean[maxRows];
        }
    }
}
