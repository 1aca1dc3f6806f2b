package io.surnn.ops.layers.kernel;

import io.surnn.ops.layers.CellType;

import io.surnn.ops.gate.GateSchedule;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward and hand-written backward pass of a selective-update layer over one window of steps, in the
 * network's data type, with every matrix product on the native BLAS ({@link Blas}).
 *
 * <p>Design note. Weights are held neuron-major: {@code Wn [H*G, I]} and {@code Un [H*G, H]}, where row
 * {@code i*G + j} is block j (e.g. GRU's r, z, n) of neuron i, i.e. column {@code j*H + i} of the layer's
 * W [I, G*H] / RW [H, G*H]. The G rows of one neuron are adjacent, so the weights of any set of neurons
 * are a few contiguous runs: a set that is one run (every neuron, or one band of the rhythm) is used in
 * place, others are copied run by run into a scratch matrix (one bulk copy per run, no per-element
 * gather). Pre-activations come out neuron-major too, so a cell reads the G values of a neuron side by
 * side.
 *
 * <p>Two ways to run a window, chosen per pass by the density of the candidate sets (the share of
 * (t, i) whose candidate is needed; always "window" for the dense reference path):
 * <ul>
 *   <li><b>window</b> (density &gt;= {@link #WINDOW_DENSITY}): the input projection of all T steps is one
 *   product {@code [T*B, I] x [I, G*H]}; per step only the recurrent product {@code [B, H] x [H, G*n]};
 *   backward keeps dL/d(pre-activation) of every step and computes dW, dU and dx each as one product over
 *   the window after the reverse loop, per step only dh_prev.</li>
 *   <li><b>step</b> (sparse, low density): per step the input and recurrent products over the candidate
 *   neurons' rows only; backward per step over the open neurons' rows only (dh_prev, dx_t, and the weight
 *   gradients of those rows).</li>
 * </ul>
 * The switch {@code h_t = h_prev + g (f - h_prev)}: the new state starts as a bulk copy of the previous one
 * (closed rows: exact, bitwise carry) and only rows with g != 0 are written. The element-wise cell math
 * runs in Java on the same off-heap memory (in double registers, stored in the network's type); it is
 * O(1/H) of the products' work.
 *
 * <p>Layouts (row-major): x [T, B, I]; states [T, B, H]; mask [T*B] (1 real, 0 padded) or null;
 * bias [NB*H] (block j of neuron i at j*H + i).
 */
public final class SuKernel {

    /**
     * Candidate density from which a sparse pass runs in "window" mode. The window's input projection runs
     * at two to three times the speed of the narrow per-step products (docs/benchmarks.md, where the time
     * goes), so per-step products only pay below about half the rows.
     */
    public static final double WINDOW_DENSITY = 0.5;

    private final Cell cell;
    private final CellType type;
    private final int in;
    private final int hidden;
    private final int blocks;
    private final DataType dataType;
    private Buf wn;
    private Buf un;
    private double[] bias;

    // Scratch reused across passes (grown on demand).
    private Buf selW;
    private Buf selU;
    private Buf pxStep;
    private Buf phStep;
    private Buf candStep;
    private Buf gradScratch;
    private Buf pxWindow;
    private final BufPool pool;

    public SuKernel(CellType type, int in, int hidden, DataType dataType) {
        this.cell = Cell.of(type);
        this.type = type;
        this.in = in;
        this.hidden = hidden;
        this.blocks = type.blocks;
        this.dataType = dataType;
        this.pool = new BufPool(dataType);
    }

    public DataType dataType() {
        return dataType;
    }

    /**
     * Takes the layer's parameters: W [I, G*H], RW [H, G*H] (block j of neuron i in column j*H + i), and
     * the bias [NB*H]. Copied into the neuron-major layout (O(parameters), once per pass).
     */
    public void setParameters(INDArray w, INDArray rw, INDArray b) {
        setParameters(w, rw, b, false);
    }

    /**
     * As {@link #setParameters(INDArray, INDArray, INDArray)}; with {@code reuseIfUnchanged} the kernel keeps
     * a copy of the parameters it converted last and skips the conversion when the new ones are equal
     * (an exact, vectorised compare: about half the cost of converting). For streaming one step per call
     * (rnnTimeStep), where the conversion would otherwise dominate.
     */
    public void setParameters(INDArray w, INDArray rw, INDArray b, boolean reuseIfUnchanged) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            if (reuseIfUnchanged && snapshot != null && w.dataType() == dataType && Buf.isContiguousC(w) && Buf.isContiguousC(rw)
                    && Buf.isContiguousC(b) && b.dataType() == dataType && snapshot[0].sameValues(Buf.view(w))
                    && snapshot[1].sameValues(Buf.view(rw)) && snapshot[2].sameValues(Buf.view(b))) {
                return;
            }
            wn = neuronMajor(wn, w, in);
            un = neuronMajor(un, rw, hidden);
            bias = b.dup('c').castTo(DataType.DOUBLE).data().asDouble();
            if (snapshot != null) {
                for (Buf s : snapshot) {
                    s.close();
                }
                snapshot = null;
            }
            if (reuseIfUnchanged) {
                snapshot = new Buf[]{Buf.copyOf(w, dataType), Buf.copyOf(rw, dataType), Buf.copyOf(b, dataType)};
            }
        }
    }

    private Buf[] snapshot;

    /** [K, G*H] to [H*G, K] row-major (row i*G + j = column j*H + i): G tiled transposes. */
    private Buf neuronMajor(Buf old, INDArray m, int k) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray c = m.dataType() == dataType && m.ordering() == 'c' && Buf.isContiguousC(m) ? m : m.castTo(dataType).dup('c');
            Buf src = Buf.view(c);
            Buf dst = grow(old, (long) blocks * hidden * k);
            int gh = blocks * hidden;
            for (int j = 0; j < blocks; j++) {
                // block j: src[kk, j*H + i] (rows kk < K, cols i < H) -> dst[i*G + j, kk]
                src.transposeTo(j * hidden, gh, k, hidden, dst, j * k, blocks * k);
            }
            return dst;
        }
    }

    /**
     * Writes a neuron-major gradient [H*G, K] into a [K, G*H] array in the parameter layout (e.g. the
     * layer's gradient view), converting to its type if needed.
     */
    public void toParameterLayout(Buf g, int k, INDArray target) {
        int gh = blocks * hidden;
        if (target.dataType() == dataType && Buf.isContiguousC(target)) {
            Buf dst = Buf.view(target);
            for (int j = 0; j < blocks; j++) {
                g.transposeTo(j * k, blocks * k, hidden, k, dst, j * hidden, gh);
            }
        } else {
            target.assign(toParameterLayout(g, k));
        }
    }

    /** A neuron-major gradient [H*G, K] as a new [K, G*H] array (the parameter layout). */
    public INDArray toParameterLayout(Buf g, int k) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray out = Nd4j.createUninitializedDetached(dataType, k, (long) blocks * hidden);
            toParameterLayout(g, k, out);
            return out;
        }
    }

    /** What the forward pass produced, and what its backward pass needs. */
    public static final class Forward implements AutoCloseable {
        public final int batch;
        public final int steps;
        /** h_t for t in the window, [T, B, H] (not masked). */
        public final Buf hs;
        /** c_t (LSTM) [T, B, H], else null. */
        public final Buf cs;
        /** The gate schedule the pass ran with. */
        public final GateSchedule schedule;
        /** True when the pass ran in "window" mode (see the class note). */
        public final boolean window;
        final Buf x;
        final Buf h0;
        final Buf c0;
        final double[] mask;
        final Buf cand;
        final Buf cache;
        final int[] candOff;
        final int[] cacheOff;
        private final BufPool pool;

        Forward(BufPool pool, int batch, int steps, Buf hs, Buf cs, GateSchedule schedule, boolean window, Buf x, Buf h0, Buf c0,
                double[] mask, Buf cand, Buf cache, int[] candOff, int[] cacheOff) {
            this.batch = batch;
            this.steps = steps;
            this.hs = hs;
            this.cs = cs;
            this.schedule = schedule;
            this.window = window;
            this.x = x;
            this.h0 = h0;
            this.c0 = c0;
            this.mask = mask;
            this.cand = cand;
            this.cache = cache;
            this.candOff = candOff;
            this.cacheOff = cacheOff;
            this.pool = pool;
        }

        /** Offset of h_{t-1} in {@link #prevH(int)}'s buffer. */
        int prevOff(int t, int hidden) {
            return t == 0 ? 0 : (t - 1) * batch * hidden;
        }

        Buf prevH(int t) {
            return t == 0 ? h0 : hs;
        }

        Buf prevC(int t) {
            return t == 0 ? c0 : cs;
        }

        /**
         * Hands the pass's buffers, including x, h0 and c0 (the caller hands them over with the call), back
         * to the kernel's pool for the next pass.
         */
        @Override
        public void close() {
            for (Buf b : new Buf[]{x, h0, c0, cand, cache, hs, cs}) {
                pool.give(b);
            }
        }
    }

    /** Gradients of one backward pass. Weight gradients are neuron-major: see {@link #toParameterLayout}. */
    public static final class Backward implements AutoCloseable {
        /** dL/dWn [H*G, I]. */
        public final Buf dW;
        /** dL/dUn [H*G, H]. */
        public final Buf dRW;
        public final double[] dBias;
        /** dL/dx [T, B, I]. */
        public final Buf dx;
        /** dL/dg [T, H] summed over the batch; null when the gate gets no gradient. */
        public final double[] dLdg;
        /** First step (within the window) that received gradient. */
        public final int fromStep;
        private final BufPool pool;

        Backward(BufPool pool, Buf dW, Buf dRW, double[] dBias, Buf dx, double[] dLdg, int fromStep) {
            this.dW = dW;
            this.dRW = dRW;
            this.dBias = dBias;
            this.dx = dx;
            this.dLdg = dLdg;
            this.fromStep = fromStep;
            this.pool = pool;
        }

        /** Hands the gradient buffers back to the kernel's pool. */
        @Override
        public void close() {
            pool.give(dW);
            pool.give(dRW);
            pool.give(dx);
        }
    }

    /** Share of (t, i) whose candidate the schedule needs. */
    static double candidateDensity(GateSchedule sch) {
        long n = 0;
        for (int[] r : sch.candidateRows) {
            n += r.length;
        }
        return sch.steps == 0 ? 0 : (double) n / ((double) sch.steps * sch.hidden);
    }

    /**
     * Runs the recurrence.
     *
     * @param x        inputs [T, B, I] in the kernel's type
     * @param h0       initial state [B, H]; c0 likewise for LSTM (ignored otherwise)
     * @param training keep what backward needs (cell caches and candidates per step)
     */
    public Forward forward(Buf x, int batch, int steps, Buf h0, Buf c0, double[] mask, GateSchedule sch,
                           boolean training) {
        Threads.enter();
        try {
            return forwardPass(x, batch, steps, h0, c0, mask, sch, training);
        } finally {
            Threads.leave();
        }
    }

    private Forward forwardPass(Buf x, int batch, int steps, Buf h0, Buf c0, double[] mask, GateSchedule sch,
                                boolean training) {
        requireParameters();
        boolean lstm = cell.hasCellState();
        int g = blocks;
        int hg = hidden * g;
        int bh = batch * hidden;
        boolean window = !sch.sparse || candidateDensity(sch) >= WINDOW_DENSITY;
        Buf hs = pool.take((long) steps * bh, false);
        Buf cs = lstm ? pool.take((long) steps * bh, false) : null;
        int maxN = sch.maxCandidates();
        int candWidth = lstm ? 2 : 1;
        int[] candOff = new int[steps];
        int[] cacheOff = new int[steps];
        Buf cand;
        Buf cache = null;
        if (training) {
            long totalCand = 0;
            long totalCache = 0;
            for (int t = 0; t < steps; t++) {
                candOff[t] = Math.toIntExact(totalCand);
                cacheOff[t] = Math.toIntExact(totalCache);
                long bn = (long) batch * sch.candidateRows[t].length;
                totalCand += bn * candWidth;
                totalCache += bn * cell.slots();
            }
            cand = pool.take(totalCand, false);
            cache = cell.slots() > 0 ? pool.take(totalCache, false) : null;
        } else {
            candStep = grow(candStep, (long) batch * maxN * candWidth);
            cand = candStep;
        }
        Buf px = null;
        if (window) {
            // input projection of the whole window: [T*B, G*H] = x [T*B, I] x Wn^T [I, H*G]
            pxWindow = grow(pxWindow, (long) steps * batch * hg);
            px = pxWindow;
            Blas.gemm(false, true, steps * batch, hg, in, x, 0, in, wn, 0, in, 0.0, px, 0, hg);
        } else {
            pxStep = grow(pxStep, (long) batch * maxN * g);
            selW = grow(selW, (long) maxN * g * in);
        }
        phStep = grow(phStep, (long) batch * maxN * g);
        selU = grow(selU, (long) maxN * g * hidden);

        Step s = new Step();
        s.batch = batch;
        s.b0 = 0;
        s.b1 = batch;
        s.hidden = hidden;
        s.blocks = g;
        s.bias = bias;
        s.cache = cache;
        s.cand = cand;
        s.ph = phStep;
        s.phOff = 0;
        for (int t = 0; t < steps; t++) {
            Buf prev = t == 0 ? h0 : hs;
            int pOff = t == 0 ? 0 : (t - 1) * bh;
            Buf prevC = lstm ? (t == 0 ? c0 : cs) : null;
            int out = t * bh;
            prev.copyTo(pOff, hs, out, bh); // closed rows: bitwise carry
            if (lstm) {
                prevC.copyTo(pOff, cs, out, bh);
            }
            int[] rows = sch.candidateRows[t];
            int n = rows.length;
            if (n == 0) {
                continue;
            }
            int gn = g * n;
            // recurrent side: ph [B, G*n] = h_{t-1} [B, H] x Un(rows)^T [H, G*n]
            int uOff = select(un, hidden, rows, selU);
            Blas.gemm(false, true, batch, gn, hidden, prev, pOff, hidden, uOff < 0 ? selU : un, Math.max(uOff, 0),
                    hidden, 0.0, phStep, 0, gn);
            if (window) {
                s.px = px;
                s.pxOff = t * batch * hg;
                s.pxLd = hg;
                s.pxAll = true;
            } else {
                // input side: px [B, G*n] = x_t [B, I] x Wn(rows)^T [I, G*n]
                int wOff = select(wn, in, rows, selW);
                Blas.gemm(false, true, batch, gn, in, x, t * batch * in, in, wOff < 0 ? selW : wn, Math.max(wOff, 0),
                        in, 0.0, pxStep, 0, gn);
                s.px = pxStep;
                s.pxOff = 0;
                s.pxLd = gn;
                s.pxAll = false;
            }
            s.phLd = gn;
            s.n = n;
            s.rows = rows;
            s.slot = null;
            s.candidates = n;
            s.hPrev = prev;
            s.hOff = pOff;
            s.cPrev = prevC;
            s.cOff = pOff;
            s.candOff = training ? candOff[t] : 0;
            s.cacheOff = cacheOff[t];
            s.t = t;
            if (split(batch, gn)) {
                Step s2 = s.copy();
                s.b1 = batch / 2;
                s2.b0 = batch / 2;
                s2.b1 = batch;
                Threads.both(() -> forwardRows(s, sch, mask, hs, cs), () -> forwardRows(s2, sch, mask, hs, cs));
                s.b1 = batch;
            } else {
                forwardRows(s, sch, mask, hs, cs);
            }
        }
        return new Forward(pool, batch, steps, hs, cs, sch, window, x, h0, c0, mask, training ? cand : null, cache,
                candOff, cacheOff);
    }

    /** The candidates of one step for rows s.b0..s.b1 of the batch, and the switch into h_t (c_t). */
    private void forwardRows(Step s, GateSchedule sch, double[] mask, Buf hs, Buf cs) {
        cell.forward(s);
        boolean lstm = cs != null;
        int t = s.t;
        int out = t * s.batch * hidden;
        for (int b = s.b0; b < s.b1; b++) {
            if (mask != null && mask[t * s.batch + b] == 0) {
                continue; // padded step: closed for every neuron
            }
            for (int r = 0; r < s.n; r++) {
                int i = s.rows[r];
                double gv = sch.g[t * hidden + i];
                if (gv == 0) {
                    continue;
                }
                int at = out + b * hidden + i;
                double fh = s.cand.get(s.candAt(b, r));
                hs.set(at, gv == 1 ? fh : hs.get(at) + gv * (fh - hs.get(at)));
                if (lstm) {
                    double fc = s.cand.get(s.candCAt(b, r));
                    cs.set(at, gv == 1 ? fc : cs.get(at) + gv * (fc - cs.get(at)));
                }
            }
        }
    }

    /** Whether a step's element-wise work over B rows and gn pre-activations is worth two threads. */
    private static boolean split(int batch, int gn) {
        return batch >= 2 && Threads.parallel() && (long) batch * gn >= Threads.MIN_SPLIT;
    }

    /**
     * The rows of the neurons in {@code rows} (G rows of length k each) of a neuron-major matrix: when they
     * form one contiguous run, returns its element offset in m (used in place); otherwise copies them run by
     * run into sel and returns -1.
     */
    private int select(Buf m, int k, int[] rows, Buf sel) {
        int gk = blocks * k;
        if (rows[rows.length - 1] - rows[0] == rows.length - 1) {
            return rows[0] * gk;
        }
        forEachRun(rows, gk, (at, pos, len) -> m.copyTo(at, sel, pos, len));
        return -1;
    }

    /** Adds the compact gradient rows src [G*n, k] into the neuron-major gradient dst at the rows' places. */
    private void scatterAdd(Buf src, int k, int[] rows, Buf dst) {
        forEachRun(rows, blocks * k, (at, pos, len) -> Blas.add(len, src, pos, dst, at));
    }

    /** One run of consecutive neurons: at = its element offset in a neuron-major matrix, pos = in the compact one. */
    private interface Run {
        void apply(int at, int pos, int len);
    }

    /** Calls run for each maximal run of consecutive neurons in the sorted rows; gk = elements per neuron. */
    private static void forEachRun(int[] rows, int gk, Run run) {
        int pos = 0;
        int start = 0;
        for (int r = 1; r <= rows.length; r++) {
            if (r == rows.length || rows[r] != rows[r - 1] + 1) {
                int len = (r - start) * gk;
                run.apply(rows[start] * gk, pos, len);
                pos += len;
                start = r;
            }
        }
    }

    /**
     * Back-propagates dL/dh_t (eps [T, B, H], the gradient w.r.t. the layer's output; masked steps are
     * ignored as their output is zero) through the window.
     *
     * @param tbpttLength only the last tbpttLength steps are back-propagated (<= 0: all)
     * @param gateGrad    accumulate dL/dg for the gate parameters
     */
    public Backward backward(Forward f, Buf eps, int tbpttLength, boolean gateGrad) {
        Threads.enter();
        try {
            return backwardPass(f, eps, tbpttLength, gateGrad);
        } finally {
            Threads.leave();
        }
    }

    private Backward backwardPass(Forward f, Buf eps, int tbpttLength, boolean gateGrad) {
        if (f.cand == null) {
            throw new IllegalStateException("backward needs a forward pass run with training = true");
        }
        requireParameters();
        boolean lstm = cell.hasCellState();
        int batch = f.batch;
        int steps = f.steps;
        int bh = batch * hidden;
        int g = blocks;
        int hg = hidden * g;
        GateSchedule sch = f.schedule;
        Buf dWn = pool.take((long) hg * in, true);
        Buf dUn = pool.take((long) hg * hidden, true);
        Buf dx = pool.take((long) steps * batch * in, true);
        double[] dBias = new double[bias.length];
        double[] dLdg = gateGrad && sch.dgda != null ? new double[steps * hidden] : null;
        Buf dh = pool.take(bh, true);
        Buf dhNext = pool.take(bh, false);
        double[] dc = lstm ? new double[bh] : null;
        double[] dcNext = lstm ? new double[bh] : null;
        int from = tbpttLength > 0 ? Math.max(0, steps - tbpttLength) : 0;
        int maxN = sch.maxCandidates();
        Buf dpxAll = null;
        Buf dphAll = null;
        if (f.window) {
            dpxAll = pool.take((long) steps * batch * hg, true);
            dphAll = pool.take((long) steps * batch * hg, true);
        } else {
            pxStep = grow(pxStep, (long) batch * maxN * g);
            phStep = grow(phStep, (long) batch * maxN * g);
            selW = grow(selW, (long) maxN * g * in);
            selU = grow(selU, (long) maxN * g * hidden);
            gradScratch = grow(gradScratch, (long) maxN * g * Math.max(in, hidden));
        }
        Step s = new Step();
        s.batch = batch;
        s.hidden = hidden;
        s.blocks = g;
        s.bias = bias;
        s.cand = f.cand;
        s.cache = f.cache;
        s.dBias = dBias;
        s.dCandH = new double[batch * maxN];
        s.dCandC = lstm ? new double[batch * maxN] : null;
        s.dhDirect = new double[batch * maxN];
        s.dcDirect = lstm ? new double[batch * maxN] : null;
        int[] slots = new int[hidden];
        s.slot = new int[hidden];
        s.b0 = 0;
        s.b1 = batch;
        s.dLdg = dLdg;
        double[] dBias2 = new double[dBias.length];                      // the second half's accumulators
        double[] dLdg2 = dLdg == null ? null : new double[dLdg.length];
        for (int t = steps - 1; t >= from; t--) {
            int out = t * bh;
            for (int b = 0; b < batch; b++) {
                if (f.mask == null || f.mask[t * batch + b] != 0) {
                    Blas.add(hidden, eps, out + b * hidden, dh, b * hidden);
                }
            }
            dh.copyTo(0, dhNext, 0, bh); // identity through closed rows
            if (lstm) {
                System.arraycopy(dc, 0, dcNext, 0, bh);
            }
            int[] rows = sch.candidateRows[t];
            if (rows.length > 0) {
                backwardStep(f, t, s, dBias2, dLdg2, slots, dh, dc, dhNext, dcNext, dpxAll, dphAll, dWn, dUn, dx);
            }
            Buf tmp = dh;
            dh = dhNext;
            dhNext = tmp;
            if (lstm) {
                double[] tc = dc;
                dc = dcNext;
                dcNext = tc;
            }
        }
        for (int q = 0; q < dBias.length; q++) {
            dBias[q] += dBias2[q];
        }
        for (int q = 0; dLdg != null && q < dLdg.length; q++) {
            dLdg[q] += dLdg2[q];
        }
        if (f.window && from < steps) {
            int tb = (steps - from) * batch;
            int p0 = from * batch * hg;
            // dWn [H*G, I] = dPX^T [H*G, S*B] x x [S*B, I]
            Blas.gemm(true, false, hg, in, tb, dpxAll, p0, hg, f.x, from * batch * in, in, 0.0, dWn, 0, in);
            // dx [S*B, I] = dPX [S*B, H*G] x Wn [H*G, I]
            Blas.gemm(false, false, tb, in, hg, dpxAll, p0, hg, wn, 0, in, 0.0, dx, from * batch * in, in);
            // dUn [H*G, H] = dPH^T [H*G, S*B] x h_prev [S*B, H]; h_prev of step 0 is h0 (a separate buffer)
            int first = Math.max(from, 1);
            if (first < steps) {
                Blas.gemm(true, false, hg, hidden, (steps - first) * batch, dphAll, first * batch * hg, hg, f.hs,
                        (first - 1) * bh, hidden, 0.0, dUn, 0, hidden);
            }
            if (from == 0) {
                Blas.gemm(true, false, hg, hidden, batch, dphAll, 0, hg, f.h0, 0, hidden, 1.0, dUn, 0, hidden);
            }
        }
        pool.give(dpxAll);
        pool.give(dphAll);
        pool.give(dh);
        pool.give(dhNext);
        return new Backward(pool, dWn, dUn, dBias, dx, dLdg, from);
    }

    private void backwardStep(Forward f, int t, Step s, double[] dBias2, double[] dLdg2, int[] slots, Buf dh, double[] dc, Buf dhNext,
                              double[] dcNext, Buf dpxAll, Buf dphAll, Buf dWn, Buf dUn, Buf dx) {
        int batch = f.batch;
        int g = blocks;
        int hg = hidden * g;
        GateSchedule sch = f.schedule;
        int[] cand = sch.candidateRows[t];
        int nc = cand.length;
        int[] open = sch.openRows[t];
        int no = open.length;
        Buf prev = f.prevH(t);
        int pOff = f.prevOff(t, hidden);
        for (int q = 0; q < nc; q++) {
            slots[cand[q]] = q;
        }
        int gn = g * no;
        s.t = t;
        s.n = no;
        s.rows = open;
        for (int r = 0; r < no; r++) {
            s.slot[r] = slots[open[r]];
        }
        s.candidates = nc;
        s.candOff = f.candOff[t];
        s.cacheOff = f.cacheOff[t];
        s.hPrev = prev;
        s.hOff = pOff;
        s.cPrev = f.prevC(t);
        s.cOff = pOff;
        if (f.window) {
            s.dpx = dpxAll;
            s.dph = dphAll;
            s.dpxOff = t * batch * hg;
            s.dphOff = t * batch * hg;
            s.dpxLd = hg;
            s.dphLd = hg;
            s.dAll = true;
        } else {
            s.dpx = pxStep;
            s.dph = phStep;
            s.dpxOff = 0;
            s.dphOff = 0;
            s.dpxLd = gn;
            s.dphLd = gn;
            s.dAll = false;
        }
        if (split(batch, Math.max(gn, nc))) {
            Step s2 = s.copy();
            s2.b0 = batch / 2;
            s2.dBias = dBias2;
            s2.dLdg = dLdg2;
            s.b1 = batch / 2;
            Threads.both(() -> backwardRows(f, s, dh, dc, dhNext, dcNext), () -> backwardRows(f, s2, dh, dc, dhNext, dcNext));
            s.b1 = batch;
        } else {
            backwardRows(f, s, dh, dc, dhNext, dcNext);
        }
        if (no == 0) {
            return;
        }
        if (f.window) {
            // dh_prev [B, H] += dPH_t [B, H*G] x Un [H*G, H]
            Blas.gemm(false, false, batch, hidden, hg, dphAll, t * batch * hg, hg, un, 0, hidden, 1.0, dhNext, 0,
                    hidden);
            return;
        }
        // open rows only: dh_prev [B, H] += dPH [B, G*n] x Un(open) [G*n, H]
        int uOff = select(un, hidden, open, selU);
        Blas.gemm(false, false, batch, hidden, gn, phStep, 0, gn, uOff < 0 ? selU : un, Math.max(uOff, 0), hidden, 1.0,
                dhNext, 0, hidden);
        // dx_t [B, I] += dPX [B, G*n] x Wn(open) [G*n, I]
        int wOff = select(wn, in, open, selW);
        Blas.gemm(false, false, batch, in, gn, pxStep, 0, gn, wOff < 0 ? selW : wn, Math.max(wOff, 0), in, 1.0,
                dx, t * batch * in, in);
        // dUn(open) [G*n, H] += dPH^T [G*n, B] x h_prev [B, H]; dWn(open) [G*n, I] += dPX^T x x_t [B, I]
        weightGradient(phStep, gn, batch, prev, pOff, hidden, open, uOff, dUn);
        weightGradient(pxStep, gn, batch, f.x, t * batch * in, in, open, wOff, dWn);
    }

    /**
     * Rows s.b0..s.b1 of one backward step: the switch splits dL/dh_t into the candidate (dCand), the carry
     * (dh_prev) and the gate (dL/dg, over every candidate); then the cell's backward over the open rows and
     * its direct (non-product) parts of dh_prev.
     */
    private void backwardRows(Forward f, Step s, Buf dh, double[] dc, Buf dhNext, double[] dcNext) {
        boolean lstm = cell.hasCellState();
        GateSchedule sch = f.schedule;
        int t = s.t;
        int batch = s.batch;
        int[] cand = sch.candidateRows[t];
        int nc = cand.length;
        int[] open = s.rows;
        int no = s.n;
        Buf prev = s.hPrev;
        Buf prevC = s.cPrev;
        int pOff = s.hOff;
        int candOff = s.candOff;
        double[] dLdg = s.dLdg;
        for (int b = s.b0; b < s.b1; b++) {
            boolean real = f.mask == null || f.mask[t * batch + b] != 0;
            if (dLdg != null && real) {
                for (int q = 0; q < nc; q++) {
                    int i = cand[q];
                    int at = b * hidden + i;
                    double dgv = dh.get(at) * (f.cand.get(candOff + b * nc + q) - prev.get(pOff + at));
                    if (lstm) {
                        dgv += dc[at] * (f.cand.get(candOff + batch * nc + b * nc + q) - prevC.get(pOff + at));
                    }
                    dLdg[t * hidden + i] += dgv;
                }
            }
            for (int r = 0; r < no; r++) {
                int i = open[r];
                int at = b * hidden + i;
                double gv = real ? sch.g[t * hidden + i] : 0.0;
                double dhv = dh.get(at);
                s.dCandH[b * no + r] = dhv * gv;
                dhNext.set(at, dhv - dhv * gv);
                if (lstm) {
                    s.dCandC[b * no + r] = dc[at] * gv;
                    dcNext[at] = dc[at] - dc[at] * gv;
                }
            }
        }
        if (no == 0) {
            return;
        }
        cell.backward(s);
        for (int b = s.b0; b < s.b1; b++) {
            for (int r = 0; r < no; r++) {
                int at = b * hidden + open[r];
                dhNext.add(at, s.dhDirect[b * no + r]);
                if (lstm) {
                    dcNext[at] += s.dcDirect[b * no + r];
                }
            }
        }
    }

    /** grad(rows) [G*n, k] += d^T [G*n, B] x a [B, k]: in place for one run, else via scratch + scatter-add. */
    private void weightGradient(Buf d, int gn, int batch, Buf a, int aOff, int k, int[] rows, int inPlaceOff,
                                Buf grad) {
        if (inPlaceOff >= 0) {
            Blas.gemm(true, false, gn, k, batch, d, 0, gn, a, aOff, k, 1.0, grad, inPlaceOff, k);
        } else {
            Blas.gemm(true, false, gn, k, batch, d, 0, gn, a, aOff, k, 0.0, gradScratch, 0, k);
            scatterAdd(gradScratch, k, rows, grad);
        }
    }

    private void requireParameters() {
        if (wn == null) {
            throw new IllegalStateException("setParameters was not called");
        }
    }

    private Buf grow(Buf b, long n) {
        if (b != null && b.length >= n) {
            return b;
        }
        close(b);
        return Buf.allocate(dataType, n, false);
    }

    /**
     * A buffer of at least n elements from this kernel's pool (zeroed if asked). Per-pass buffers (states,
     * caches, gradients) come from here and return with {@link Forward#close()}/{@link Backward#close()}:
     * fresh off-heap memory costs page faults on first touch, which measured a fifth of a dense pass at
     * H = 1024, T = 1024.
     */
    public Buf take(long n, boolean zero) {
        return pool.take(n, zero);
    }

    /** A buffer of at least a.length() elements from the pool holding a's values in 'c' order (cast to this kernel's type). */
    public Buf takeCopy(INDArray a) {
        Buf b = pool.take(a.length(), false);
        if (a.length() > 0) {
            try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                b.array.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, a.length())).reshape('c', a.shape()).assign(a);
            }
        }
        return b;
    }

    /** Returns a buffer from {@link #take} or {@link #takeCopy} to the pool. */
    public void give(Buf b) {
        pool.give(b);
    }

    static void close(Buf b) {
        if (b != null) {
            b.close();
        }
    }
}
