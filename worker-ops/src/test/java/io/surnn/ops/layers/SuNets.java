package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.conf.SuGru;
import io.surnn.ops.layers.conf.SuLayerConf;
import io.surnn.ops.layers.conf.SuLstm;
import io.surnn.ops.layers.conf.SuRnn;
import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.function.UnaryOperator;

/** Small networks for the layer tests. */
final class SuNets {
    private SuNets() {
    }

    /** Surrogate width the layer tests were written at (the builders' default is Defaults.SURROGATE_WIDTH). */
    static final double WIDTH = 0.3;

    /** A su-layer builder of {@code cell} at the tests' surrogate width {@link #WIDTH} (later setters override). */
    static SuLayerConf.Builder<?> builder(CellType cell) {
        switch (cell) {
            case SURNN:
                return new SuRnn.Builder().surrogateWidth(WIDTH);
            case SUGRU:
                return new SuGru.Builder().surrogateWidth(WIDTH);
            default:
                return new SuLstm.Builder().surrogateWidth(WIDTH);
        }
    }

    /** One su-layer (nIn -> hidden) followed by an RnnOutputLayer (MSE, identity) with nOut outputs. */
    static MultiLayerNetwork net(CellType cell, int nIn, int hidden, int nOut, DataType dtype,
                                 UnaryOperator<SuLayerConf.Builder<?>> custom) {
        return net(cell, nIn, hidden, nOut, dtype, new NoOp(), custom);
    }

    /** As above with a given updater (NoOp applies the raw gradient; Sgd(0) leaves parameters unchanged). */
    static MultiLayerNetwork net(CellType cell, int nIn, int hidden, int nOut, DataType dtype,
                                 org.nd4j.linalg.learning.config.IUpdater updater,
                                 UnaryOperator<SuLayerConf.Builder<?>> custom) {
        SuLayerConf su = (SuLayerConf) custom.apply(builder(cell).nIn(nIn).nOut(hidden)).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(12345).dataType(dtype).updater(updater).weightInit(WeightInit.XAVIER)
                .list()
                .layer(su)
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nIn(hidden).nOut(nOut).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * One su-layer alone in a float network (no output layer; gradient views initialised, so
     * {@code backpropGradient} can be called on the layer directly), gate seeded with {@code seed}.
     */
    static MultiLayerNetwork singleLayer(CellType cell, int nIn, int hidden, GateMode mode, double p0,
                                         boolean sparse, long seed) {
        SuLayerConf layer = (SuLayerConf) builder(cell).nIn(nIn).nOut(hidden).gateMode(mode).initialUpdateRate(p0)
                .sparse(sparse).gateSeed(seed).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new NoOp()).list().layer(layer).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView();
        return net;
    }

    static INDArray randn(DataType dt, long seed, long... shape) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.randn(dt, shape);
    }

    static GateMode[] modes() {
        return GateMode.values();
    }

    /** Gate part S_i(t) = sum_k alpha_ik sin(omega_k t + phi_ik) of the layer's current params, [T][H]. */
    static double[][] gateWave(org.deeplearning4j.nn.api.Layer layer, int t0, int steps) {
        double[] alpha = SuRecurrentLayer.flat(layer.getParam("galpha"));
        double[] phi = SuRecurrentLayer.flat(layer.getParam("gphi"));
        double[] omega = SuRecurrentLayer.flat(layer.getParam("gomega"));
        int k = omega.length;
        int h = alpha.length / k;
        double[][] s = new double[steps][h];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < h; i++) {
                double v = 0;
                for (int j = 0; j < k; j++) {
                    v += alpha[i * k + j] * Math.sin(omega[j] * (t0 + t) + phi[i * k + j]);
                }
                s[t][i] = v;
            }
        }
        return s;
    }

    /**
     * Sets each neuron's gate offset so that its threshold sits in the middle of the largest gap
     * between its gate values over steps 0..T-1 (open and closed steps both occur, and min |a| is
     * as large as possible). Returns that smallest margin min |a_{t,i}|.
     */
    static double centreGateOffsets(org.deeplearning4j.nn.api.Layer layer, int steps) {
        double[][] s = gateWave(layer, 0, steps);
        int h = s[0].length;
        double[] b = new double[h];
        double margin = Double.MAX_VALUE;
        for (int i = 0; i < h; i++) {
            double[] v = new double[steps];
            for (int t = 0; t < steps; t++) {
                v[t] = s[t][i];
            }
            java.util.Arrays.sort(v);
            int best = 0;
            for (int q = 1; q < steps - 1; q++) {
                if (v[q + 1] - v[q] > v[best + 1] - v[best]) {
                    best = q;
                }
            }
            b[i] = -(v[best] + v[best + 1]) / 2;
            margin = Math.min(margin, (v[best + 1] - v[best]) / 2);
        }
        layer.getParam("gb").assign(Nd4j.create(b, new long[]{1, h}).castTo(layer.getParam("gb").dataType()));
        return margin;
    }

    /** Sets every gate offset to the same value (e.g. -10: always closed, +10: always open). */
    static void setGateOffsets(org.deeplearning4j.nn.api.Layer layer, double value) {
        layer.getParam("gb").assign(value);
    }
}
