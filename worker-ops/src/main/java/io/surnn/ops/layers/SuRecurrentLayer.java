package io.surnn.ops.layers;

import io.surnn.ops.gate.GateSchedule;
import io.surnn.ops.layers.conf.SuLayerConf;
import io.surnn.ops.layers.kernel.Buf;
import io.surnn.ops.layers.kernel.SuKernel;
import io.surnn.ops.layers.params.SuParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Arrays;
import java.util.Map;

/**
 * Runtime layer of every su-cell (SuRnn, SuGru, SuLstm): DL4J glue around {@link SuKernel}.
 *
 * <p>Design note. DL4J hands the layer its parameters as views of one flat array; each pass gives them
 * to the layer's {@link SuKernel}, which computes in the network's data type (float, or double for
 * gradient checks) on off-heap buffers with native BLAS products; gradients are written back into
 * {@code gradientViews}. Inputs, output gradients and results move between DL4J's [B, X, T] arrays and
 * the kernel's [T, B, X] buffers with one native copy each; only the gate schedule and the mask (bookkeeping
 * per (t, i) or (t, b)) live in Java arrays. The step counter t is part of
 * the recurrent state: {@code stateMap}/{@code tBpttStateMap} hold "h" [B, H], "c" [B, H] (SuLstm) and
 * "t" (a scalar: the absolute position of the next step), so t continues across rnnTimeStep calls and
 * truncated-BPTT segments and restarts at 0 after rnnClearPreviousState. The forward pass run with
 * training = true is kept until its backprop (or the next forward), and backprop reuses it when the input
 * is the same array; otherwise backprop recomputes it from a zero state at t = 0 (plain activate semantics).
 *
 * <p>Masking: a padded step ([B, T] mask = 0) is a closed step for every neuron of that sequence (state
 * carried bitwise) while t still advances; its output is zero and its output gradient is ignored.
 */
public class SuRecurrentLayer extends BaseRecurrentLayer<SuLayerConf> implements UpdateRateAware {

    /** State key: last hidden state [B, H]. */
    public static final String STATE_H = "h";
    /** State key: last cell state [B, H] (SuLstm only). */
    public static final String STATE_C = "c";
    /** State key: absolute step index of the next step, a scalar. */
    public static final String STATE_T = "t";

    /**
     * Inference calls on stored state with at most this many steps (rnnTimeStep streaming) reuse the
     * kernel's converted weights when the parameters compare equal to the last ones.
     */
    static final int STREAMING_STEPS = 16;

    private double lastUpdateRate = Double.NaN;
    private SuKernel kernel;
    private SuKernel.Forward lastForward;
    private INDArray lastForwardInput;

    public SuRecurrentLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public double lastUpdateRate() {
        return lastUpdateRate;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, workspaceMgr).getFirst();
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Pair<INDArray, Map<String, INDArray>> r = forward(stateMap, false, workspaceMgr);
        stateMap.clear();
        stateMap.putAll(r.getSecond());
        return r.getFirst();
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        Pair<INDArray, Map<String, INDArray>> r = forward(stateMap, training, workspaceMgr);
        if (storeLastForTBPTT) {
            tBpttStateMap.clear();
            tBpttStateMap.putAll(r.getSecond());
        }
        return r.getFirst();
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (lastForward == null || lastForwardInput != input) {
            forward(null, true, workspaceMgr);
        }
        SuKernel.Forward f = lastForward;
        SuLayerConf c = layerConf();
        int h = (int) c.getNOut();
        int in = (int) c.getNIn();
        INDArray eps = permuteIfNWC(epsilon);
        checkShape("epsilon", eps, f.batch, h, f.steps);
        boolean gateGrad = c.getGateMode().trainsGate();
        Map<String, INDArray> p = paramTable(false);
        Gradient g = new DefaultGradient(gradientsFlattened);
        INDArray epsOut;
        Buf epsTbh = kernel.takeCopy(eps.permute(2, 0, 1)); // [T, B, H]
        try (SuKernel.Backward bw = kernel.backward(f, epsTbh, tbpttBackLength, gateGrad)) {
            GateSchedule sch = f.schedule;
            double[] alpha = flat(p.get(SuParamInitializer.GATE_ALPHA_KEY));
            double[] phi = flat(p.get(SuParamInitializer.GATE_PHI_KEY));
            double[] omega = flat(p.get(SuParamInitializer.GATE_OMEGA_KEY));
            double[] gB = new double[h];
            double[] gAlpha = new double[alpha.length];
            double[] gPhi = new double[phi.length];
            double[] gOmega = new double[omega.length];
            if (bw.dLdg != null) {
                sch.accumulateGateGradients(bw.dLdg, alpha, phi, omega, bw.fromStep, gB, gAlpha, gPhi, gOmega);
            }
            putNeuronMajor(g, SuParamInitializer.INPUT_WEIGHT_KEY, bw.dW, in);
            putNeuronMajor(g, SuParamInitializer.RECURRENT_WEIGHT_KEY, bw.dRW, h);
            put(g, SuParamInitializer.BIAS_KEY, bw.dBias);
            put(g, SuParamInitializer.GATE_BIAS_KEY, gB);
            put(g, SuParamInitializer.GATE_ALPHA_KEY, gAlpha);
            put(g, SuParamInitializer.GATE_PHI_KEY, gPhi);
            put(g, SuParamInitializer.GATE_OMEGA_KEY, gOmega);
            epsOut = toBxt(bw.dx, f.steps, f.batch, in, null, ArrayType.ACTIVATION_GRAD, workspaceMgr); // [B, I, T]
        } finally {
            kernel.give(epsTbh);
            releaseForward(); // the per-step caches (a second backprop recomputes the forward)
        }
        epsOut = backpropDropOutIfPresent(epsOut);
        if (getDataFormat() == RNNFormat.NWC) {
            epsOut = epsOut.permute(0, 2, 1);
        }
        return new Pair<>(g, epsOut);
    }

    private void put(Gradient g, String key, double[] values) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            put(g, key, Nd4j.create(values, new long[]{values.length}, 'c'));
        }
    }

    private void putNeuronMajor(Gradient g, String key, Buf values, int k) {
        INDArray view = gradientViews.get(key);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            kernel.toParameterLayout(values, k, view);
        }
        g.gradientForVariable().put(key, view);
    }

    private void put(Gradient g, String key, INDArray values) {
        INDArray view = gradientViews.get(key);
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            view.assign(values.reshape('c', view.shape()).castTo(view.dataType()));
        }
        g.gradientForVariable().put(key, view);
    }

    private void releaseForward() {
        if (lastForward != null) {
            lastForward.close();
            lastForward = null;
        }
        lastForwardInput = null;
    }

    /** The layer's kernel, (re)built when the shape or type changes; parameters loaded for this pass. */
    private SuKernel kernel(SuLayerConf c, Map<String, INDArray> p, boolean streaming) {
        int h = (int) c.getNOut();
        int in = (int) c.getNIn();
        DataType dt = dataType == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        if (kernel == null || kernel.dataType() != dt) {
            kernel = new SuKernel(c.cellType(), in, h, dt);
        }
        kernel.setParameters(p.get(SuParamInitializer.INPUT_WEIGHT_KEY),
                p.get(SuParamInitializer.RECURRENT_WEIGHT_KEY), p.get(SuParamInitializer.BIAS_KEY), streaming);
        return kernel;
    }

    /**
     * One forward pass over the current input.
     *
     * @param state null = zero state at t = 0; else the state map to start from (empty = zero state, t = 0)
     * @return the output [B, H, T] and the final state (detached)
     */
    private Pair<INDArray, Map<String, INDArray>> forward(Map<String, INDArray> state, boolean training,
                                                         LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        SuLayerConf c = layerConf();
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = permuteIfNWC(input);
        int h = (int) c.getNOut();
        int in = (int) c.getNIn();
        if (x.rank() != 3 || x.size(1) != in) {
            throw new IllegalArgumentException(where() + ": expected input [minibatch, " + in + ", T] ("
                    + getDataFormat() + " as [minibatch, nIn, T]), got " + Arrays.toString(input.shape()));
        }
        int batch = (int) x.size(0);
        int steps = (int) x.size(2);
        double[] mask = maskTb(batch, steps);
        boolean lstm = c.cellType() == CellType.SULSTM;
        INDArray sh = null;
        INDArray sc = null;
        int t0 = 0;
        if (state != null && state.containsKey(STATE_H)) {
            sh = state.get(STATE_H);
            if (sh.size(0) != batch) {
                throw new IllegalArgumentException(where() + ": stored state has minibatch " + sh.size(0)
                        + " but the input has " + batch + "; call rnnClearPreviousState() first");
            }
            sc = lstm ? state.get(STATE_C) : null;
            t0 = state.get(STATE_T).getInt(0);
        }
        releaseForward();
        Map<String, INDArray> p = paramTable(false);
        GateSchedule sch = schedule(c, p, t0, steps, training);
        SuKernel k = kernel(c, p, state != null && !training && steps <= STREAMING_STEPS);
        DataType dt = k.dataType();
        Buf xs = k.takeCopy(x.permute(2, 0, 1)); // [T, B, I]
        Buf h0 = sh == null ? k.take((long) batch * h, true) : k.takeCopy(sh);
        Buf c0 = !lstm ? null : sc == null ? k.take((long) batch * h, true) : k.takeCopy(sc);
        SuKernel.Forward f = k.forward(xs, batch, steps, h0, c0, mask, sch, training);
        lastUpdateRate = sch.updateRate;

        INDArray out = toBxt(f.hs, steps, batch, h, mask, ArrayType.ACTIVATIONS, workspaceMgr); // [B, H, T]
        if (getDataFormat() == RNNFormat.NWC) {
            out = out.permute(0, 2, 1);
        }
        Map<String, INDArray> last = new java.util.HashMap<>();
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            last.put(STATE_H, lastOf(steps == 0 ? h0 : f.hs, steps, batch, h).castTo(dataType));
            if (lstm) {
                last.put(STATE_C, lastOf(steps == 0 ? c0 : f.cs, steps, batch, h).castTo(dataType));
            }
            last.put(STATE_T, Nd4j.scalar((long) t0 + steps));
        }
        if (training) {
            lastForward = f;
            lastForwardInput = input;
        } else {
            f.close();
        }
        return new Pair<>(out, last);
    }

    /** Copy of the last [B, H] block of a [T, B, H] buffer (or of h0 itself when steps == 0). */
    private static INDArray lastOf(Buf all, int steps, int batch, int h) {
        long n = (long) batch * h;
        long from = steps == 0 ? 0 : (steps - 1) * n;
        return all.array.get(NDArrayIndex.interval(from, from + n)).dup('c').reshape('c', new long[]{batch, h});
    }

    /**
     * The gate schedule for steps t0..t0+steps-1. The last one is reused when the window, the mode flags
     * and the gate parameter values (compared exactly) are unchanged: repeated inference over windows of
     * the same length skips the H*T*K sine evaluations. Schedules are never modified by the kernels.
     */
    private GateSchedule schedule(SuLayerConf c, Map<String, INDArray> p, int t0, int steps, boolean training) {
        double[][] gate = {flat(p.get(SuParamInitializer.GATE_BIAS_KEY)), flat(p.get(SuParamInitializer.GATE_ALPHA_KEY)),
                flat(p.get(SuParamInitializer.GATE_PHI_KEY)), flat(p.get(SuParamInitializer.GATE_OMEGA_KEY))};
        boolean hit = cachedSchedule != null && cachedSchedule.t0 == t0 && cachedSchedule.steps == steps
                && cachedTraining == training && cachedSchedule.sparse == c.isSparse()
                && java.util.Arrays.deepEquals(cachedGate, gate);
        if (!hit) {
            cachedSchedule = GateSchedule.compute(c.getGateMode(), c.getSurrogate(), c.getSurrogateWidth(), gate[0],
                    gate[1], gate[2], gate[3], t0, steps, training, c.isSparse());
            cachedGate = gate;
            cachedTraining = training;
        }
        return cachedSchedule;
    }

    /**
     * The gate of steps {@code t0 .. t0+steps-1} under the current parameters, as inference sees it
     * (no surrogate gradient, sparse row lists). The gate depends on the step and the layer's gate
     * parameters only, never on data, so this is the layer's whole open/closed pattern.
     */
    public GateSchedule gateSchedule(int t0, int steps) {
        SuLayerConf c = layerConf();
        Map<String, INDArray> p = paramTable(false);
        return GateSchedule.compute(c.getGateMode(), c.getSurrogate(), c.getSurrogateWidth(),
                flat(p.get(SuParamInitializer.GATE_BIAS_KEY)), flat(p.get(SuParamInitializer.GATE_ALPHA_KEY)),
                flat(p.get(SuParamInitializer.GATE_PHI_KEY)), flat(p.get(SuParamInitializer.GATE_OMEGA_KEY)),
                t0, steps, false, true);
    }

    private GateSchedule cachedSchedule;
    private double[][] cachedGate;
    private boolean cachedTraining;

    /** Mask [B, T] as [T*B] (1 real, 0 padded), or null. */
    private double[] maskTb(int batch, int steps) {
        if (maskArray == null) {
            return null;
        }
        if (maskArray.rank() != 2 || maskArray.size(0) != batch || maskArray.size(1) != steps) {
            throw new IllegalArgumentException(where() + ": expected mask [" + batch + ", " + steps + "], got "
                    + Arrays.toString(maskArray.shape()));
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            return flat(maskArray.transpose()); // [T, B]
        }
    }

    private String where() {
        return layerConf().describe() + " (layer " + getIndex() + ")";
    }

    private void checkShape(String what, INDArray a, long d0, long d1, long d2) {
        if (a.rank() != 3 || a.size(0) != d0 || a.size(1) != d1 || a.size(2) != d2) {
            throw new IllegalArgumentException(where() + ": expected " + what + " [" + d0 + ", " + d1 + ", " + d2
                    + "], got " + Arrays.toString(a.shape()));
        }
    }

    /** Row-major double copy of an array (any order, any type). */
    static double[] flat(INDArray a) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            // dup first: castTo on a strided view with an offset does not honour the offset in ND4J M2
            INDArray c = a.dup('c');
            INDArray d = c.dataType() == DataType.DOUBLE ? c : c.castTo(DataType.DOUBLE);
            return d.data().asDouble();
        }
    }

    /**
     * A [T, B, X] buffer (padded steps zeroed when mask != null) as a [B, X, T] array of the layer's type
     * in the given workspace: copied contiguously into a 'c'-order [T, B, X] array and returned as a
     * permuted view (no strided transpose; DL4J's recurrent consumers accept any strides).
     */
    private INDArray toBxt(Buf v, int steps, int batch, int x, double[] mask, ArrayType type,
                           LayerWorkspaceMgr workspaceMgr) {
        INDArray out = workspaceMgr.createUninitialized(type, dataType, new long[]{steps, batch, x}, 'c');
        if (steps * batch * x > 0) {
            out.assign(v.array.get(NDArrayIndex.interval(0, (long) steps * batch * x)).reshape('c', new long[]{steps, batch, x}));
            if (mask != null) {
                Buf o = Buf.view(out); // zero the padded steps in place: one bulk fill per padded (t, b)
                for (int q = 0; q < steps * batch; q++) {
                    if (mask[q] == 0) {
                        o.fill(q * x, x, 0.0);
                    }
                }
            }
        }
        return out.permute(1, 2, 0);                        // [B, X, T] view of the [T, B, X] array
    }
}
