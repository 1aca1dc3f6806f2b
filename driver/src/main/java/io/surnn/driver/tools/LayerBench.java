package io.surnn.driver.tools;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.UpdateRateAware;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.SequenceClassifierBuilder;
import java.util.Arrays;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Times one recurrent layer in isolation: input [B, H, T] (nIn = nOut = H, like a layer inside a
 * stack), forward only ("inference") or forward + backward with a random output gradient
 * ("training"; no optimizer step, so the rows compare the layers, not the updater).
 *
 * <p>Design note: the layer is driven through DL4J's Layer API with workspaces off, so every path pays
 * the same allocation costs. The {@code warmup} untimed iterations run on the first {@value #WARM_STEPS}
 * steps only (they exist to compile and page in every code path, which a short sequence does as well,
 * and a full-length warm-up of a dense layer at H = 1024, T = 1024 would cost minutes). Timing is one
 * full-length pass per call ({@link #once}); BenchCommand interleaves the calls of all rows of a group.
 */
final class LayerBench {
    private final int hidden;
    private final int batch;
    private final int steps;
    private final INDArray input;   // [B, H, T]
    private final INDArray epsilon; // [B, H, T]
    private final INDArray warmInput;   // [B, H, min(T, WARM_STEPS)]
    private final INDArray warmEpsilon; // [B, H, min(T, WARM_STEPS)]

    /**
     * Surrogate width of the benchmarked su-layers: it sets how many closed rows a training step touches,
     * so it is pinned here (the width docs/bench/layer.json was measured at), not taken from the run default.
     */
    static final double SURROGATE_WIDTH = 0.3;

    /** Warm-up iterations run on this many steps: enough to compile every path, cheap at any T. */
    static final int WARM_STEPS = 64;

    LayerBench(int hidden, int batch, int steps, long seed) {
        this.hidden = hidden;
        this.batch = batch;
        this.steps = steps;
        Nd4j.getRandom().setSeed(seed);
        this.input = Nd4j.rand(DataType.FLOAT, batch, hidden, steps).subi(0.5);
        this.epsilon = Nd4j.rand(DataType.FLOAT, batch, hidden, steps).subi(0.5).muli(1e-2);
        long warm = Math.min(steps, WARM_STEPS);
        this.warmInput = input.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, warm)).dup();
        this.warmEpsilon = epsilon.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, warm)).dup();
    }

    /** The single layer under test: an su-layer, or DL4J's LSTM for {@link CellType#LSTM}. */
    Layer layer(CellType cell, GateMode gate, boolean sparse, double rate, long seed) {
        org.deeplearning4j.nn.conf.layers.Layer conf = new SequenceClassifierBuilder().cell(cell).gateMode(gate)
                .initialUpdateRate(rate).surrogateWidth(SURROGATE_WIDTH).sparse(sparse).hiddenSize(hidden).seed(seed)
                .recurrentLayer(0, hidden);
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).updater(new Sgd(0.0)).list().layer(conf)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(hidden).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        net.init();
        net.initGradientsView(); // backpropGradient writes into these views; fit() would create them lazily
        return net.getLayer(0);
    }

    /** Untimed warm-up passes on the first {@value #WARM_STEPS} steps. */
    void warm(Layer layer, boolean training, int warmup) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        for (int i = 0; i < warmup; i++) once(layer, training, warmInput, warmEpsilon, ws);
    }

    /** Seconds of one timed full-length pass. */
    double once(Layer layer, boolean training) {
        return once(layer, training, input, epsilon, LayerWorkspaceMgr.noWorkspaces());
    }

    private static double once(Layer layer, boolean training, INDArray x, INDArray eps, LayerWorkspaceMgr ws) {
        long t0 = System.nanoTime();
        if (training) {
            layer.setInput(x, ws);
            layer.activate(true, ws);
            layer.backpropGradient(eps, ws);
        } else {
            layer.activate(x, false, ws);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        layer.clear();
        return s;
    }

    double tokens() {
        return (double) batch * steps;
    }

    /**
     * The matrix products a dense layer with G blocks does over this bench's window, through ND4J's matrix
     * multiply, as one runnable pass: inference = the input projection as one [T*B, H] x [H, G*H] product
     * plus T recurrent products [B, H] x [H, G*H]; training adds T products dh = [B, G*H] x [G*H, H] and the
     * three whole-window products dW, dU, dx. FLOPs: {@link #gemmFlops}.
     */
    Runnable gemmPass(int blocks, boolean training) {
        int gh = blocks * hidden;
        int tb = steps * batch;
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, tb, hidden);
        INDArray w = Nd4j.rand(DataType.FLOAT, hidden, gh);
        INDArray u = Nd4j.rand(DataType.FLOAT, hidden, gh);
        INDArray px = Nd4j.create(DataType.FLOAT, tb, gh);
        INDArray ph = Nd4j.create(DataType.FLOAT, batch, gh);
        INDArray dpx = training ? Nd4j.rand(DataType.FLOAT, tb, gh) : null;
        INDArray dh = Nd4j.create(DataType.FLOAT, batch, hidden);
        INDArray dw = Nd4j.create(DataType.FLOAT, hidden, gh);
        INDArray dx = training ? Nd4j.create(DataType.FLOAT, tb, hidden) : null;
        INDArray[] hRows = new INDArray[steps];
        INDArray[] dRows = new INDArray[steps];
        for (int t = 0; t < steps; t++) {
            hRows[t] = x.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch), NDArrayIndex.all());
            dRows[t] = training ? dpx.get(NDArrayIndex.interval((long) t * batch, (long) (t + 1) * batch),
                    NDArrayIndex.all()) : null;
        }
        return () -> {
            Nd4j.gemm(x, w, px, false, false, 1.0, 0.0);
            for (int t = 0; t < steps; t++) {
                Nd4j.gemm(hRows[t], u, ph, false, false, 1.0, 0.0);
            }
            if (training) {
                for (int t = 0; t < steps; t++) {
                    Nd4j.gemm(dRows[t], u, dh, false, true, 1.0, 0.0);
                }
                Nd4j.gemm(x, dpx, dw, true, false, 1.0, 0.0); // dW = x^T dPX
                Nd4j.gemm(x, dpx, dw, true, false, 1.0, 0.0); // dU = h_prev^T dPH (same shapes)
                Nd4j.gemm(dpx, w, dx, false, true, 1.0, 0.0);
            }
        };
    }

    /** Multiply-add FLOPs per token of a dense layer with G blocks and nIn = nOut = H (x3 for training). */
    static double gemmFlops(int blocks, int hidden, boolean training) {
        double forward = 2.0 * blocks * hidden * (2.0 * hidden);
        return training ? 3 * forward : forward;
    }

    /**
     * Batch-1 streaming (what {@code generate} does): {@code steps} calls of rnnTimeStep with one step each,
     * after {@code warmup} untimed calls; returns the total seconds of the timed calls.
     */
    static double streamSeconds(Layer layer, int hidden, int steps, int warmup, long seed) {
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        org.deeplearning4j.nn.api.layers.RecurrentLayer rnn = (org.deeplearning4j.nn.api.layers.RecurrentLayer) layer;
        Nd4j.getRandom().setSeed(seed);
        INDArray[] xs = new INDArray[steps + warmup];
        for (int t = 0; t < xs.length; t++) {
            xs[t] = Nd4j.rand(DataType.FLOAT, 1, hidden, 1).subi(0.5);
        }
        rnn.rnnClearPreviousState();
        for (int t = 0; t < warmup; t++) {
            rnn.rnnTimeStep(xs[t], ws);
        }
        long t0 = System.nanoTime();
        for (int t = warmup; t < xs.length; t++) {
            rnn.rnnTimeStep(xs[t], ws);
        }
        double s = (System.nanoTime() - t0) / 1e9;
        rnn.rnnClearPreviousState();
        return s;
    }
}
