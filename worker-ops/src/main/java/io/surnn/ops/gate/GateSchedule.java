package io.surnn.ops.gate;

/**
 * The gate for a window of steps {@code t0 .. t0+T-1}, computed before the forward pass.
 *
 * <p>Design note: the gate depends only on the absolute step t and the layer's gate parameters, never
 * on the data, so the open set A_t is shared by every sequence of the minibatch. For each step we keep
 * the gate value g (0/1, or sigmoid(a) in SOFT mode), the surrogate derivative s = dg/da where the gate
 * trains, and two row lists: {@code candidateRows[t]} (rows whose cell candidate f must be computed:
 * open rows, plus closed rows with s != 0 while the gate trains) and {@code openRows[t]} (g != 0: the
 * only rows whose cell parameters and inputs receive gradient). With {@code sparse == false} (dense
 * reference path) both lists are every row, so the same kernels compute all rows and select afterwards.
 *
 * <p>Parameter arrays are plain row-major copies: b [H], alpha [H*K], phi [H*K], omega [K].
 */
public final class GateSchedule {

    public final int t0;
    public final int steps;
    public final int hidden;
    /** g[t*H + i]. */
    public final double[] g;
    /** dg/da at [t*H + i]; null when the gate receives no gradient (inference, FIXED, DENSE). */
    public final double[] dgda;
    /** Rows needing the candidate at step t (sorted). */
    public final int[][] candidateRows;
    /** Rows with g != 0 at step t (sorted). */
    public final int[][] openRows;
    /** Sum of g over (t, i) divided by T*H. */
    public final double updateRate;
    /** False for the dense reference schedule (every row a candidate and in the backward set). */
    public final boolean sparse;

    private GateSchedule(int t0, int steps, int hidden, double[] g, double[] dgda, int[][] cand, int[][] open,
                         double updateRate, boolean sparse) {
        this.t0 = t0;
        this.steps = steps;
        this.hidden = hidden;
        this.g = g;
        this.dgda = dgda;
        this.candidateRows = cand;
        this.openRows = open;
        this.updateRate = updateRate;
        this.sparse = sparse;
    }

    /** Largest candidate set over the window. */
    public int maxCandidates() {
        int m = 0;
        for (int[] r : candidateRows) {
            m = Math.max(m, r.length);
        }
        return m;
    }

    /**
     * Builds the schedule.
     *
     * @param withGateGradient true when the backward pass will need dg/da (training with RHYTHMIC/SOFT)
     * @param sparse           false = dense reference path (every row is a candidate and "open" for the
     *                         kernels; g still selects)
     */
    public static GateSchedule compute(GateMode mode, Surrogate surrogate, double width, double[] b,
                                       double[] alpha, double[] phi, double[] omega, int t0, int steps,
                                       boolean withGateGradient, boolean sparse) {
        int h = b.length;
        int k = omega.length;
        boolean grad = withGateGradient && mode.trainsGate();
        double[] g = new double[steps * h];
        double[] s = grad ? new double[steps * h] : null;
        int[][] cand = new int[steps][];
        int[][] open = new int[steps][];
        int[] allRows = new int[h];
        for (int i = 0; i < h; i++) {
            allRows[i] = i;
        }
        int[] candBuf = new int[h];
        int[] openBuf = new int[h];
        double total = 0;
        for (int t = 0; t < steps; t++) {
            double time = (double) t0 + t;
            int nc = 0;
            int no = 0;
            for (int i = 0; i < h; i++) {
                int at = t * h + i;
                double gi;
                double si = 0;
                if (mode == GateMode.DENSE) {
                    gi = 1.0;
                } else {
                    double a = b[i];
                    for (int j = 0; j < k; j++) {
                        a += alpha[i * k + j] * Math.sin(omega[j] * time + phi[i * k + j]);
                    }
                    if (mode == GateMode.SOFT) {
                        gi = 1.0 / (1.0 + Math.exp(-a));
                        si = gi * (1.0 - gi);
                    } else {
                        gi = a > 0 ? 1.0 : 0.0;
                        si = grad ? surrogate.derivative(a, width) : 0.0;
                    }
                }
                g[at] = gi;
                if (grad) {
                    s[at] = si;
                }
                total += gi;
                if (gi != 0) {
                    openBuf[no++] = i;
                }
                if (gi != 0 || (grad && si != 0)) {
                    candBuf[nc++] = i;
                }
            }
            if (!sparse) {
                cand[t] = allRows;
                open[t] = allRows;
            } else {
                cand[t] = nc == h ? allRows : java.util.Arrays.copyOf(candBuf, nc);
                open[t] = no == h ? allRows : java.util.Arrays.copyOf(openBuf, no);
            }
        }
        double rate = steps == 0 ? Double.NaN : total / ((double) steps * h);
        return new GateSchedule(t0, steps, h, g, s, cand, open, rate, sparse);
    }

    /**
     * Chain rule from dL/da (given as dL/dg, multiplied here by dg/da) to the gate parameters; adds into
     * the gradient arrays (same layouts as the parameters). Only entries with dg/da != 0 cost anything.
     *
     * @param dLdg dL/dg at [t*H + i] (for the window of this schedule)
     * @param fromStep first step (within the window) that received gradient (truncated BPTT), usually 0
     */
    public void accumulateGateGradients(double[] dLdg, double[] alpha, double[] phi, double[] omega, int fromStep,
                                        double[] gB, double[] gAlpha, double[] gPhi, double[] gOmega) {
        if (dgda == null) {
            return;
        }
        int k = omega.length;
        for (int t = fromStep; t < steps; t++) {
            double time = (double) t0 + t;
            for (int i = 0; i < hidden; i++) {
                int at = t * hidden + i;
                double da = dLdg[at] * dgda[at];
                if (da == 0) {
                    continue;
                }
                gB[i] += da;
                for (int j = 0; j < k; j++) {
                    double theta = omega[j] * time + phi[i * k + j];
                    double c = Math.cos(theta);
                    gAlpha[i * k + j] += da * Math.sin(theta);
                    gPhi[i * k + j] += da * alpha[i * k + j] * c;
                    gOmega[j] += da * alpha[i * k + j] * time * c;
                }
            }
        }
    }
}
