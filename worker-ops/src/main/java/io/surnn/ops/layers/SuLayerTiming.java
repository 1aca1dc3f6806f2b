package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.conf.SuGru;
import io.surnn.ops.layers.conf.SuLayerConf;
import io.surnn.ops.layers.conf.SuLstm;
import io.surnn.ops.layers.conf.SuRnn;
import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

import java.util.Locale;

/**
 * Timing entry point for one su-layer alone (no output layer), sparse path vs dense reference path of
 * the SAME layer and parameters, in the same JVM run: a quick probe,
 * {@code java ... io.surnn.ops.layers.SuLayerTiming sugru 256 32 1024 0.17 3}, and the tests' one-layer
 * network builder. {@code surnn bench} (tools.BenchCommand) is the benchmark command.
 *
 * <p>Inference = {@code layer.activate(false)}; training = {@code activate(true)} followed by
 * {@code backpropGradient} with a random output gradient (what MultiLayerNetwork.fit does to the layer).
 * Each measurement is the median of {@code reps} repetitions after {@link #WARMUP} warm-up passes, in wall-clock time and in
 * the calling thread's CPU time (a lower bound: BLAS and the element-wise split also use other threads).
 */
public final class SuLayerTiming {

    /** Unmeasured passes before timing (lets the JIT compile the kernels' loops for these shapes). */
    public static final int WARMUP = 2;

    private SuLayerTiming() {
    }

    /** Milliseconds per pass (median) and the layer's measured update rate. */
    public static final class Result {
        public final double inferenceMs;
        public final double trainingMs;
        public final double updateRate;
        /** Same passes measured in CPU time of the calling thread (robust on a shared machine). */
        public final double inferenceCpuMs;
        public final double trainingCpuMs;

        Result(double inferenceMs, double trainingMs, double updateRate, double inferenceCpuMs,
               double trainingCpuMs) {
            this.inferenceMs = inferenceMs;
            this.trainingMs = trainingMs;
            this.updateRate = updateRate;
            this.inferenceCpuMs = inferenceCpuMs;
            this.trainingCpuMs = trainingCpuMs;
        }
    }

    /** A single-layer network holding one su-layer (float), for timing or inspection. */
    public static MultiLayerNetwork singleLayer(CellType cell, int nIn, int hidden, GateMode mode, double p0,
                                                boolean sparse, long seed) {
        SuLayerConf.Builder<?> b = cell == CellType.SURNN ? new SuRnn.Builder()
                : cell == CellType.SUGRU ? new SuGru.Builder() : new SuLstm.Builder();
        SuLayerConf layer = (SuLayerConf) b.nIn(nIn).nOut(hidden).gateMode(mode).initialUpdateRate(p0)
                .sparse(sparse).gateSeed(seed).build();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .updater(new NoOp()).list().layer(layer).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        net.initGradientsView(); // no fit() here: gradient views are needed by backpropGradient
        return net;
    }

    /** Times one layer; {@code training=false} skips the training measurement (NaN). */
    public static Result time(Layer layer, INDArray x, int reps, boolean training) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        double[] inf = new double[reps];
        double[] tr = new double[reps];
        double[] infCpu = new double[reps];
        double[] trCpu = new double[reps];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        INDArray eps = null;
        for (int r = -WARMUP; r < reps; r++) {
            layer.setInput(x, mgr);
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            INDArray out = layer.activate(false, mgr);
            long t1 = System.nanoTime();
            long c1 = mx.getCurrentThreadCpuTime();
            if (r >= 0) {
                inf[r] = (t1 - t0) / 1e6;
                infCpu[r] = (c1 - c0) / 1e6;
            }
            if (training) {
                if (eps == null) {
                    Nd4j.getRandom().setSeed(1);
                    eps = Nd4j.randn(out.dataType(), out.shape());
                }
                layer.setInput(x, mgr);
                long c2 = mx.getCurrentThreadCpuTime();
                long t2 = System.nanoTime();
                layer.activate(true, mgr);
                layer.backpropGradient(eps, mgr);
                long t3 = System.nanoTime();
                long c3 = mx.getCurrentThreadCpuTime();
                if (r >= 0) {
                    tr[r] = (t3 - t2) / 1e6;
                    trCpu[r] = (c3 - c2) / 1e6;
                }
            }
        }
        return new Result(median(inf), training ? median(tr) : Double.NaN,
                ((UpdateRateAware) layer).lastUpdateRate(), median(infCpu), training ? median(trCpu) : Double.NaN);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        int m = c.length / 2;
        return c.length % 2 == 1 ? c[m] : (c[m - 1] + c[m]) / 2;
    }

    /** Args: cell hidden batch steps p0 reps [nIn]. Prints sparse vs dense times and ratios. */
    public static void main(String[] args) {
        CellType cell = CellType.parse(args[0]);
        int hidden = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        double p0 = Double.parseDouble(args[4]);
        int reps = Integer.parseInt(args[5]);
        int nIn = args.length > 6 ? Integer.parseInt(args[6]) : 16;
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, nIn, steps);
        MultiLayerNetwork sparse = singleLayer(cell, nIn, hidden, GateMode.RHYTHMIC, p0, true, 42);
        MultiLayerNetwork dense = singleLayer(cell, nIn, hidden, GateMode.RHYTHMIC, p0, false, 42);
        dense.setParams(sparse.params());
        Result s = time(sparse.getLayer(0), x, reps, true);
        Result d = time(dense.getLayer(0), x, reps, true);
        System.out.printf(Locale.ROOT, "%s H=%d B=%d T=%d I=%d rate=%.3f | inference sparse %.1f ms dense %.1f ms"
                        + " x%.2f | training sparse %.1f ms dense %.1f ms x%.2f%n", cell, hidden, batch, steps, nIn,
                s.updateRate, s.inferenceMs, d.inferenceMs, d.inferenceMs / s.inferenceMs, s.trainingMs,
                d.trainingMs, d.trainingMs / s.trainingMs);
        System.out.printf(Locale.ROOT, "  cpu time: inference sparse %.1f ms dense %.1f ms x%.2f | training sparse %.1f"
                        + " ms dense %.1f ms x%.2f%n", s.inferenceCpuMs, d.inferenceCpuMs,
                d.inferenceCpuMs / s.inferenceCpuMs, s.trainingCpuMs, d.trainingCpuMs,
                d.trainingCpuMs / s.trainingCpuMs);
    }
}
