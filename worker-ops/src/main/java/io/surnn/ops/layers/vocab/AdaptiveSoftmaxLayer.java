package io.surnn.ops.layers.vocab;

import io.surnn.ops.layers.kernel.Blas;
import io.surnn.ops.layers.kernel.Buf;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
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
 * Runtime of {@link AdaptiveSoftmax}. Notation: D = width (nIn), n0 = head words, k = tail clusters,
 * H0 = n0 + k head outputs; token rows are (b, t) pairs in b-major order.
 *
 * <p>Training (backprop and score) never forms the full distribution: every row goes through the head
 * (its word, or its cluster's entry), and only the rows whose target is in tail j go through tail j
 * (projection Pj, then Ej). Gradients are of the summed loss, as for DL4J's output layers (the updater
 * divides by the minibatch); the score is that sum over labelled steps divided by the minibatch size,
 * plus the regularisation term. Rows with label mask 0 are left out altogether.
 *
 * <p>{@link #activate} gives the exact, normalised distribution [B, V, T]: log p(w) = log p_head(w) for
 * head words and log p_head(cluster j) + log p_j(w) for tail words, so evaluation, sampling and any
 * DL4J tool that reads a softmax output work unchanged. As in DL4J's recurrent output layer, steps
 * with label mask 0 output zeros.
 *
 * <p>Products are native BLAS calls on the parameter views (head blocks written in place by leading
 * dimension); the row-wise softmax is ND4J's native ops; Java loops only gather and scatter rows and
 * pick targets. With {@code tied}, W0, Ej and Pj are views of the adaptive embedding's parameters and
 * this layer writes its share of their gradient first; the embedding adds its own (see AdaptiveEmbedding).
 */
public class AdaptiveSoftmaxLayer extends BaseOutputLayer<AdaptiveSoftmax> {

    private transient Mats.Scratch scratch = new Mats.Scratch();
    private transient Object[] cachedKey;
    private double cachedSum = Double.NaN;

    public AdaptiveSoftmaxLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    // ---- parameters ----------------------------------------------------------------------------------

    /** The matrices a pass reads (params) or writes (gradients), tied ones as views of the embedding's. */
    private static final class Set {
        INDArray w0;
        INDArray c;
        INDArray b0;
        INDArray[] p;
        INDArray[] e;
        INDArray[] b;
    }

    private Set matrices(boolean gradients) {
        AdaptiveSoftmax conf = layerConf();
        VocabClusters g = conf.clusters();
        Map<String, INDArray> own = gradients ? gradientViews : params;
        INDArray anchor = gradients ? gradientsFlattened : paramsFlattened;
        Set s = new Set();
        int k = g.tails();
        s.p = new INDArray[k + 1];
        s.e = new INDArray[k + 1];
        s.b = new INDArray[k + 1];
        s.c = own.get("C");
        s.b0 = own.get("b0");
        long base = -conf.getTiedOffset();
        s.w0 = conf.isTied() ? Mats.sibling(anchor, base, g.size(0), g.width()) : own.get("W0");
        for (int j = 1; j <= k; j++) {
            if (conf.isTied()) {
                s.e[j] = Mats.sibling(anchor, base + g.embeddingOffsetE(j), g.size(j), g.dim(j));
                s.p[j] = Mats.sibling(anchor, base + g.embeddingOffsetP(j), g.dim(j), g.width());
            } else {
                s.e[j] = own.get("E" + j);
                s.p[j] = own.get("P" + j);
            }
            s.b[j] = own.get("b" + j);
        }
        return s;
    }

    // ---- inputs --------------------------------------------------------------------------------------

    /** [B, D, T] input as rows [B*T, D] (b-major), written into {@code into}. */
    private static INDArray rows(INDArray x3, INDArray into) {
        long b = x3.size(0);
        long d = x3.size(1);
        long t = x3.size(2);
        into.reshape('c', b, t, d).assign(x3.permute(0, 2, 1));
        return into;
    }

    private Mats.Scratch scratch() {
        if (scratch == null) scratch = new Mats.Scratch();   // after Java deserialisation
        return scratch;
    }

    private void checkInput() {
        if (input == null || input.rank() != 3 || input.size(1) != layerConf().getNIn()) {
            throw new IllegalArgumentException(where() + ": expected input [minibatch, " + layerConf().getNIn()
                    + ", T], got " + (input == null ? "none" : Arrays.toString(input.shape())));
        }
    }

    private String where() {
        return "AdaptiveSoftmax '" + layerConf().getLayerName() + "' (layer " + getIndex() + ")";
    }

    /** Targets per row, b-major: labels [B, 1, T] as ids, or one-hot [B, V, T]. */
    private int[] targets(long b, long t) {
        if (labels == null) throw new IllegalStateException(where() + ": no labels set");
        long v = layerConf().getNOut();
        INDArray ids;
        if (labels.rank() == 3 && labels.size(1) == 1) {
            ids = labels.reshape('c', b, t);
        } else if (labels.rank() == 3 && labels.size(1) == v) {
            ids = labels.argMax(1);
        } else {
            throw new IllegalArgumentException(where() + ": labels must be [" + b + ", 1, " + t + "] word ids or ["
                    + b + ", " + v + ", " + t + "] one-hot, got " + Arrays.toString(labels.shape()));
        }
        int[] out = ids.dup('c').castTo(DataType.INT).reshape(b * t).toIntVector();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0 || out[i] >= v) {
                throw new IllegalArgumentException(where() + ": label " + out[i] + " at (example " + (i / t)
                        + ", step " + (i % t) + ") is outside the vocabulary [0, " + v + ")");
            }
        }
        return out;
    }

    /** Row weights from the labels mask [B, T] (1 when none). */
    private double[] rowMask(long b, long t) {
        double[] m = new double[(int) (b * t)];
        if (maskArray == null) {
            Arrays.fill(m, 1.0);
            return m;
        }
        INDArray mk = maskArray.reshape('c', b, t).dup('c').castTo(DataType.DOUBLE);
        return mk.reshape(b * t).toDoubleVector();
    }

    // ---- the loss pass -------------------------------------------------------------------------------

    /** Loss per row (masked rows 0) and, when wanted, the gradients (views written) and dL/dx [B*T, D]. */
    private static final class Pass {
        double[] rowLoss;
        INDArray dx;
    }

    private Pass lossPass(boolean withGradient) {
        checkInput();
        AdaptiveSoftmax conf = layerConf();
        VocabClusters g = conf.clusters();
        long bsz = input.size(0);
        long steps = input.size(2);
        int n = (int) (bsz * steps);
        int d = g.width();
        int n0 = g.size(0);
        int k = g.tails();
        int h0 = g.headSize();
        int[] target = targets(bsz, steps);
        double[] mask = rowMask(bsz, steps);
        Set w = matrices(false);
        Set gw = withGradient ? matrices(true) : null;

        INDArray xAll = rows(input, scratch().get("x", dataType, n, d));
        // compact rows: those with a nonzero mask
        int[] live = new int[n];
        int nl = 0;
        for (int i = 0; i < n; i++) if (mask[i] != 0) live[nl++] = i;
        INDArray x = xAll;
        if (nl < n) {
            x = scratch().get("xc", dataType, nl, d);
            Mats.gather(xAll, live, nl, x);
        }
        double[] weight = new double[nl];
        int[] headTarget = new int[nl];
        int[] cluster = new int[nl];
        for (int i = 0; i < nl; i++) {
            int w0 = target[live[i]];
            weight[i] = mask[live[i]];
            cluster[i] = g.clusterOf(w0);
            headTarget[i] = cluster[i] == 0 ? w0 : n0 + cluster[i] - 1;
        }
        Pass out = new Pass();
        out.rowLoss = new double[n];
        INDArray dx = withGradient ? scratch().get("dxc", dataType, nl, d) : null;

        // head
        INDArray z0 = scratch().get("z0", dataType, nl, h0);
        Buf xb = Buf.view(x);
        Buf zb = Buf.view(z0);
        if (nl > 0) headLogits(g, w, xb, nl, zb, z0);
        double[] logp = new double[nl];
        if (nl > 0) Mats.softmaxRows(z0, headTarget, logp);
        for (int i = 0; i < nl; i++) out.rowLoss[live[i]] -= weight[i] * logp[i];
        if (withGradient) {
            if (nl > 0) {
                for (int i = 0; i < nl; i++) zb.add(i * h0 + headTarget[i], -1.0);
                scaleRows(z0, weight);
                Blas.gemm(true, false, n0, d, nl, zb, 0, h0, xb, 0, d, 0.0, Buf.view(gw.w0), 0, d);
                if (k > 0) Blas.gemm(true, false, k, d, nl, zb, n0, h0, xb, 0, d, 0.0, Buf.view(gw.c), 0, d);
                gw.b0.assign(z0.sum(true, 0).reshape(gw.b0.shape()));
                Buf dxb = Buf.view(dx);
                Blas.gemm(false, false, nl, d, n0, zb, 0, h0, Buf.view(w.w0), 0, d, 0.0, dxb, 0, d);
                if (k > 0) Blas.gemm(false, false, nl, d, k, zb, n0, h0, Buf.view(w.c), 0, d, 1.0, dxb, 0, d);
            } else {
                gw.w0.assign(0);
                if (k > 0) gw.c.assign(0);
                gw.b0.assign(0);
            }
        }

        // tails: only the rows whose target is in cluster j
        int[] rowsJ = new int[nl];
        for (int j = 1; j <= k; j++) {
            int nj = 0;
            for (int i = 0; i < nl; i++) if (cluster[i] == j) rowsJ[nj++] = i;
            if (nj == 0) {
                if (withGradient) {
                    gw.e[j].assign(0);
                    gw.p[j].assign(0);
                    gw.b[j].assign(0);
                }
                continue;
            }
            int dj = g.dim(j);
            int sj = g.start(j);
            int szj = g.size(j);
            INDArray xj = scratch().get("xj", dataType, nj, d);
            Mats.gather(x, rowsJ, nj, xj);
            INDArray uj = scratch().get("uj", dataType, nj, dj);
            Mats.mm(false, true, xj, w.p[j], 0.0, uj);                 // [nj, dj] = xj Pj^T
            INDArray zj = scratch().get("zj", dataType, nj, szj);
            Mats.mm(false, true, uj, w.e[j], 0.0, zj);                 // [nj, szj] = uj Ej^T
            zj.addiRowVector(w.b[j]);
            int[] tj = new int[nj];
            double[] wj = new double[nj];
            for (int r = 0; r < nj; r++) {
                tj[r] = target[live[rowsJ[r]]] - sj;
                wj[r] = weight[rowsJ[r]];
            }
            double[] lpj = new double[nj];
            Mats.softmaxRows(zj, tj, lpj);
            for (int r = 0; r < nj; r++) out.rowLoss[live[rowsJ[r]]] -= wj[r] * lpj[r];
            if (withGradient) {
                Buf zjb = Buf.view(zj);
                for (int r = 0; r < nj; r++) zjb.add(r * szj + tj[r], -1.0);
                scaleRows(zj, wj);
                Mats.mm(true, false, zj, uj, 0.0, gw.e[j]);            // dEj = Gj^T uj
                gw.b[j].assign(zj.sum(true, 0).reshape(gw.b[j].shape()));
                INDArray duj = scratch().get("duj", dataType, nj, dj);
                Mats.mm(false, false, zj, w.e[j], 0.0, duj);           // duj = Gj Ej
                Mats.mm(true, false, duj, xj, 0.0, gw.p[j]);           // dPj = duj^T xj
                INDArray dxj = scratch().get("dxj", dataType, nj, d);
                Mats.mm(false, false, duj, w.p[j], 0.0, dxj);          // dxj = duj Pj
                Mats.scatterAdd(dxj, rowsJ, nj, dx);
            }
        }
        if (withGradient) {
            if (nl == n) {
                out.dx = dx;
            } else {
                INDArray full = scratch().get("dx", dataType, n, d).assign(0);
                Mats.scatterAdd(dx, live, nl, full);
                out.dx = full;
            }
        }
        return out;
    }

    /** z0 [rows, n0 + k] = x [W0; C]^T + b0: word columns then one column per tail, in place by leading dimension. */
    private static void headLogits(VocabClusters g, Set w, Buf x, int rows, Buf zb, INDArray z0) {
        int d = g.width();
        int n0 = g.size(0);
        int k = g.tails();
        int h0 = g.headSize();
        Blas.gemm(false, true, rows, n0, d, x, 0, d, Buf.view(w.w0), 0, d, 0.0, zb, 0, h0);
        if (k > 0) Blas.gemm(false, true, rows, k, d, x, 0, d, Buf.view(w.c), 0, d, 0.0, zb, n0, h0);
        z0.addiRowVector(w.b0);
    }

    private static void scaleRows(INDArray z, double[] weight) {
        boolean ones = true;
        for (double v : weight) ones &= v == 1.0;
        if (ones) return;
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            z.muliColumnVector(Nd4j.create(weight, new long[] {weight.length, 1}, z.dataType()));
        }
    }

    private double sum(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return s;
    }

    private Object[] key() {
        return new Object[] {input, labels, maskArray, paramsFlattened};
    }

    private boolean cached() {
        Object[] k = key();
        return cachedKey != null && cachedKey[0] == k[0] && cachedKey[1] == k[1] && cachedKey[2] == k[2] && cachedKey[3] == k[3];
    }

    // ---- DL4J output-layer API -----------------------------------------------------------------------

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        applyDropOutIfNecessary(true, workspaceMgr);
        Pass p = lossPass(true);
        cachedKey = key();
        cachedSum = sum(p.rowLoss);
        long bsz = input.size(0);
        long d = input.size(1);
        long steps = input.size(2);
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, new long[] {bsz, d, steps}, 'c');
        eps.assign(p.dx.reshape('c', bsz, steps, d).permute(0, 2, 1));
        Gradient g = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
            g.gradientForVariable().put(e.getKey(), e.getValue());
        }
        this.gradient = g;
        eps = backpropDropOutIfPresent(eps);
        return new Pair<>(g, eps);
    }

    @Override
    public double computeScore(double fullNetRegTerm, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (!cached()) {
            applyDropOutIfNecessary(training, workspaceMgr);
            cachedSum = sum(lossPass(false).rowLoss);
            cachedKey = key();
        }
        double s = cachedSum;
        if (conf().isMiniBatch()) s /= input.size(0);
        this.score = s + fullNetRegTerm;
        return this.score;
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetRegTerm, LayerWorkspaceMgr workspaceMgr) {
        double[] rowLoss = lossPass(false).rowLoss;
        long bsz = input.size(0);
        long steps = input.size(2);
        double[] perEx = new double[(int) bsz];
        for (int i = 0; i < rowLoss.length; i++) perEx[(int) (i / steps)] += rowLoss[i];
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {bsz, 1}, 'c');
        for (int b = 0; b < bsz; b++) out.putScalar(b, 0, perEx[b] + fullNetRegTerm);
        return out;
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        backpropGradient(null, workspaceMgr);
        computeScore(0.0, true, workspaceMgr);
    }

    @Override
    public Pair<Gradient, Double> gradientAndScore() {
        return new Pair<>(gradient, score);
    }

    /**
     * The exact distribution over the vocabulary, [B, V, T]. Tail logits are written straight into their
     * column block of one [rows, V] buffer and normalised there (softmax times the head's probability of
     * the cluster), so no [rows, V] temporary beyond that buffer exists.
     */
    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        checkInput();
        applyDropOutIfNecessary(training, workspaceMgr);
        VocabClusters g = layerConf().clusters();
        long bsz = input.size(0);
        long steps = input.size(2);
        int n = (int) (bsz * steps);
        int d = g.width();
        int n0 = g.size(0);
        int k = g.tails();
        int h0 = g.headSize();
        int v = g.vocab();
        Set w = matrices(false);
        INDArray x = rows(input, scratch().get("x", dataType, n, d));
        INDArray p = scratch().get("p", dataType, n, v);
        INDArray z0 = scratch().get("z0", dataType, n, h0);
        Buf pb = Buf.view(p);
        headLogits(g, w, Buf.view(x), n, Buf.view(z0), z0);
        Mats.softmaxRows(z0, null, null);
        p.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n0)).assign(z0.get(NDArrayIndex.all(), NDArrayIndex.interval(0, n0)));
        for (int j = 1; j <= k; j++) {
            int dj = g.dim(j);
            int sj = g.start(j);
            int szj = g.size(j);
            INDArray u = scratch().get("uj", dataType, n, dj);
            Mats.mm(false, true, x, w.p[j], 0.0, u);
            Blas.gemm(false, true, n, szj, dj, Buf.view(u), 0, dj, Buf.view(w.e[j]), 0, dj, 0.0, pb, sj, v);
            INDArray block = p.get(NDArrayIndex.all(), NDArrayIndex.interval(sj, sj + szj));
            block.addiRowVector(w.b[j]);
            block.subiColumnVector(block.max(true, 1));
            org.nd4j.linalg.ops.transforms.Transforms.exp(block, false);
            INDArray scale = z0.get(NDArrayIndex.all(), NDArrayIndex.interval(n0 + j - 1, n0 + j))
                    .div(block.sum(true, 1));                   // p_head(cluster j) / sum
            block.muliColumnVector(scale);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {bsz, v, steps}, 'c');
        out.assign(p.reshape('c', bsz, steps, v).permute(0, 2, 1));
        if (maskArray != null) {
            // as DL4J's recurrent output layer: masked steps output zeros
            out.muli(maskArray.castTo(dataType).reshape('c', bsz, 1, steps));
        }
        return out;
    }

    @Override
    public void setMaskArray(INDArray maskArray) {
        this.maskArray = maskArray;
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArray(INDArray maskArray, MaskState currentMaskState, int minibatchSize) {
        this.maskArray = maskArray;
        return new Pair<>(maskArray, currentMaskState);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        throw new UnsupportedOperationException(where() + " has no 2-d label view");
    }

    @Override
    protected INDArray preOutput2d(boolean training, LayerWorkspaceMgr workspaceMgr) {
        throw new UnsupportedOperationException(where() + " has no pre-softmax output: use activate()");
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        throw new UnsupportedOperationException(where() + ": f1Score is not defined for a language-model output");
    }

    @Override
    public int numLabels() {
        return (int) layerConf().getNOut();
    }
}
