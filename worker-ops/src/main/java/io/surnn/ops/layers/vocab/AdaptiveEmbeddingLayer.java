package io.surnn.ops.layers.vocab;

import io.surnn.ops.layers.kernel.Blas;
import io.surnn.ops.layers.kernel.Buf;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * Runtime of {@link AdaptiveEmbedding}: ids [B, T] or [B, 1, T] → [B, D, T]. Head rows are copied from
 * E0; the rows of tail j are gathered from Ej and projected by Pj in one native product per cluster.
 * The backward pass adds each row's gradient into its word's row (and, for tails, into Pj); with
 * {@code tied} it adds to what the output layer already wrote, otherwise it starts from zero.
 */
public class AdaptiveEmbeddingLayer extends BaseLayer<AdaptiveEmbedding> {

    private transient Mats.Scratch scratch = new Mats.Scratch();

    public AdaptiveEmbeddingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    private Mats.Scratch scratch() {
        if (scratch == null) scratch = new Mats.Scratch();   // after Java deserialisation
        return scratch;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.FEED_FORWARD;
    }

    private String where() {
        return "AdaptiveEmbedding '" + layerConf().getLayerName() + "' (layer " + getIndex() + ")";
    }

    /** Word ids per row (b-major) and the shape [B, T]. */
    private int[] ids(long[] bt) {
        INDArray in = input;
        if (in.rank() == 3 && in.size(1) == 1) {
            bt[0] = in.size(0);
            bt[1] = in.size(2);
        } else if (in.rank() == 2) {
            bt[0] = in.size(0);
            bt[1] = in.size(1);
        } else {
            throw new IllegalArgumentException(where() + ": expected word ids [minibatch, T] or [minibatch, 1, T], got "
                    + Arrays.toString(in.shape()));
        }
        double[] raw = in.dup('c').castTo(DataType.DOUBLE).reshape(bt[0] * bt[1]).toDoubleVector();
        long v = layerConf().getNIn();
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            double x = raw[i];
            if (x < 0 || x >= v || x != Math.rint(x)) {
                throw new IllegalArgumentException(where() + ": input " + x + " at (example " + (i / bt[1]) + ", step "
                        + (i % bt[1]) + ") is not a word id in [0, " + v + ")");
            }
            out[i] = (int) x;
        }
        return out;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        VocabClusters g = layerConf().clusters();
        long[] bt = new long[2];
        int[] id = ids(bt);
        int n = id.length;
        int d = g.width();
        INDArray y = scratch().get("y", dataType, n, d);
        Buf yb = Buf.view(y);
        Buf e0 = Buf.view(params.get("E0"));
        int[] rows = new int[n];
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            if (g.clusterOf(id[i]) == 0) e0.copyTo(id[i] * d, yb, i * d, d);
        }
        for (int j = 1; j <= g.tails(); j++) {
            int nj = collect(g, id, j, rows, words);
            if (nj == 0) continue;
            INDArray gj = scratch().get("gj", dataType, nj, g.dim(j));
            Mats.gather(params.get("E" + j), words, nj, gj);
            INDArray yj = scratch().get("yj", dataType, nj, d);
            Mats.mm(false, false, gj, params.get("P" + j), 0.0, yj);       // [nj, D] = Ej[w] Pj
            Buf yjb = Buf.view(yj);
            for (int r = 0; r < nj; r++) yjb.copyTo(r * d, yb, rows[r] * d, d);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, new long[] {bt[0], d, bt[1]}, 'c');
        out.assign(y.reshape('c', bt[0], bt[1], d).permute(0, 2, 1));
        return out;
    }

    /** Rows whose word is in tail j, and the word's row inside Ej; returns how many. */
    private static int collect(VocabClusters g, int[] id, int j, int[] rows, int[] words) {
        int nj = 0;
        int s = g.start(j);
        for (int i = 0; i < id.length; i++) {
            if (g.clusterOf(id[i]) == j) {
                rows[nj] = i;
                words[nj++] = id[i] - s;
            }
        }
        return nj;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        VocabClusters g = layerConf().clusters();
        boolean accumulate = layerConf().isTied();
        long[] bt = new long[2];
        int[] id = ids(bt);
        int n = id.length;
        int d = g.width();
        if (epsilon.rank() != 3 || epsilon.size(0) != bt[0] || epsilon.size(1) != d || epsilon.size(2) != bt[1]) {
            throw new IllegalArgumentException(where() + ": epsilon " + Arrays.toString(epsilon.shape()) + " does not match ["
                    + bt[0] + ", " + d + ", " + bt[1] + "]");
        }
        INDArray dy = scratch().get("dy", dataType, n, d);
        dy.reshape('c', bt[0], bt[1], d).assign(epsilon.permute(0, 2, 1));
        if (!accumulate) {
            for (INDArray v : gradientViews.values()) v.assign(0);
        }
        Buf dyb = Buf.view(dy);
        Buf de0 = Buf.view(gradientViews.get("E0"));
        for (int i = 0; i < n; i++) {
            if (g.clusterOf(id[i]) == 0) Blas.add(d, dyb, i * d, de0, id[i] * d);
        }
        int[] rows = new int[n];
        int[] words = new int[n];
        for (int j = 1; j <= g.tails(); j++) {
            int nj = collect(g, id, j, rows, words);
            if (nj == 0) continue;
            int dj = g.dim(j);
            INDArray dyj = scratch().get("dyj", dataType, nj, d);
            Mats.gather(dy, rows, nj, dyj);
            INDArray gj = scratch().get("gj", dataType, nj, dj);
            Mats.gather(params.get("E" + j), words, nj, gj);
            Mats.mm(true, false, gj, dyj, 1.0, gradientViews.get("P" + j));   // dPj += Ej[w]^T dy
            INDArray dgj = scratch().get("dgj", dataType, nj, dj);
            Mats.mm(false, true, dyj, params.get("P" + j), 0.0, dgj);         // [nj, dj] = dy Pj^T
            Mats.scatterAdd(dgj, words, nj, gradientViews.get("E" + j));
        }
        Gradient grad = new DefaultGradient(gradientsFlattened);
        for (Map.Entry<String, INDArray> e : gradientViews.entrySet()) {
            grad.gradientForVariable().put(e.getKey(), e.getValue());
        }
        this.gradient = grad;
        return new Pair<>(grad, null);
    }

    @Override
    public boolean hasBias() {
        return false;
    }
}
