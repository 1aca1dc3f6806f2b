package io.surnn.driver.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import io.surnn.ops.models.Networks;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.Collections;
import java.util.Iterator;

/**
 * Loss and accuracy of a network on an RDD of minibatches, computed on the executors.
 *
 * <p>Design: the configuration JSON and the parameters are broadcast once per call; each partition
 * rebuilds the network and sums, per minibatch, the masked per-example losses
 * ({@code scoreExamples}, which for recurrent outputs already sums over the unmasked steps and leaves
 * regularisation out), the number of target units and the arg-max hits. The driver adds the five
 * partial sums; nothing per-example comes back. Sequence-labelled data (3-d labels) is scored per
 * target token, sequence-level data per example. Labels of shape [B, 1, T] are class indices (sparse
 * labels); anything else is one-hot. MultiLayerNetworks and (single-input, single-output)
 * ComputationGraphs are handled alike through {@link Networks}; the type travels with the JSON.
 *
 * <p>Memory: a language model's output is [B, vocab, T] floats; for WikiText-2 (33K words) and
 * 1,024-token windows that is 2 GB per minibatch of 16, more than once over in a full forward pass
 * (an earlier version was killed for memory on a 24 GB machine). Per-step labelled minibatches of a
 * MultiLayerNetwork are therefore run in time chunks through {@code rnnTimeStep}, carrying the
 * recurrent state from chunk to chunk, so at most {@link #OUTPUT_BUDGET} output floats exist at once.
 * Chunking is exact for right-padded minibatches (all the driver makes): padding only follows the
 * real steps, so it cannot change their outputs, and the labels mask leaves it out of the sums.
 */
public final class DistributedEvaluator {
    private DistributedEvaluator() {}

    public static EvalResult evaluate(JavaSparkContext sc, Model net, JavaRDD<DataSet> data, String split) {
        String type = Networks.typeName(net);
        Broadcast<String> conf = sc.broadcast(Networks.configurationJson(net));
        Broadcast<INDArray> params = sc.broadcast(net.params().dup());
        sc.setJobGroup("surnn-eval", "suRNN evaluate " + split, true);
        try {
            double[] sums = data.mapPartitions(it -> partialSums(it, type, conf.value(), params.value()))
                    .reduce(DistributedEvaluator::add);
            return toResult(split, sums);
        } finally {
            sc.clearJobGroup();
            conf.destroy();
            params.destroy();
        }
    }

    /** The same computation on one machine (tests, and models evaluated without Spark). */
    public static EvalResult evaluateLocally(Model net, Iterable<DataSet> data, String split) {
        double[] sums = new double[5];
        for (DataSet ds : data) {
            sums = add(sums, score(net, ds));
        }
        return toResult(split, sums);
    }

    private static Iterator<double[]> partialSums(Iterator<DataSet> it, String type, String confJson, INDArray params) {
        double[] sums = new double[5];
        if (!it.hasNext()) {
            return Collections.singletonList(sums).iterator();
        }
        Model net = Networks.fromJson(type, confJson, params.dup());
        while (it.hasNext()) {
            sums = add(sums, score(net, it.next()));
        }
        return Collections.singletonList(sums).iterator();
    }

    /** Output floats (batch × classes × steps) one forward chunk may hold: 32M floats, 128 MB. */
    static final long OUTPUT_BUDGET = 1L << 25;

    /** DL4J's cross-entropy clips probabilities at this value before the log; so does the chunked path. */
    private static final double CLIP = 1e-10;

    /** {loss sum, units, correct, examples, perToken ? 1 : 0} of one minibatch. */
    static double[] score(Model net, DataSet ds) {
        if (net instanceof MultiLayerNetwork && ds.getLabels().rank() == 3) {
            org.deeplearning4j.nn.conf.layers.Layer outConf = Networks.outputLayerConf(net);
            long outputs = outConf instanceof BaseOutputLayer ? ((BaseOutputLayer) outConf).getNOut() : 1;
            return chunkedSequenceScore((MultiLayerNetwork) net, ds, chunkSteps(ds.getFeatures().size(0), outputs));
        }
        Networks.clearState(net);
        INDArray out = Networks.output(net, ds.getFeatures(), ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        INDArray lossPerExample = Networks.scoreExamples(net, ds);             // [B]
        INDArray labels = ds.getLabels();
        long b = labels.size(0);
        double lossSum = lossPerExample.sumNumber().doubleValue();
        if (labels.rank() == 2) {                                               // [B, C] one-hot
            INDArray hit = out.argMax(1).eq(labels.argMax(1)).castTo(out.dataType()); // [B]
            return new double[] {lossSum, b, hit.sumNumber().doubleValue(), b, 0};
        }
        INDArray mask = ds.getLabelsMaskArray() != null ? ds.getLabelsMaskArray()
                : Nd4j.ones(out.dataType(), b, labels.size(2));                // [B, T]
        INDArray predicted = out.argMax(1);                                    // [B, T]
        INDArray truth = labels.size(1) == 1 && out.size(1) > 1
                ? labels.reshape(labels.size(0), labels.size(2)).castTo(predicted.dataType()) // sparse [B,1,T] → [B,T]
                : labels.argMax(1);                                            // one-hot [B,V,T] → [B,T]
        INDArray hit = predicted.eq(truth).castTo(mask.dataType()).muli(mask); // [B, T]
        return new double[] {lossSum, mask.sumNumber().doubleValue(), hit.sumNumber().doubleValue(), b, 1};
    }

    /** Time steps per chunk so that batch × outputs × steps stays within {@link #OUTPUT_BUDGET} (at least 1). */
    static int chunkSteps(long batch, long outputs) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, OUTPUT_BUDGET / Math.max(1, batch * outputs)));
    }

    /**
     * Per-step labelled minibatch (language model, copy task), {@code chunk} steps at a time through
     * rnnTimeStep; labels are class indices [B, 1, T] or one-hot [B, V, T], the labels mask (if any)
     * selects the scored steps.
     */
    static double[] chunkedSequenceScore(MultiLayerNetwork net, DataSet ds, int chunk) {
        INDArray features = ds.getFeatures();                                   // [B, nIn, T]
        INDArray labels = ds.getLabels();                                       // [B, 1, T] | [B, V, T]
        INDArray mask = ds.getLabelsMaskArray();                                // [B, T] or null
        long b = features.size(0);
        long steps = features.size(2);
        double lossSum = 0;
        double units = 0;
        double correct = 0;
        net.rnnClearPreviousState();
        try {
            for (long t0 = 0; t0 < steps; t0 += chunk) {
                long t1 = Math.min(steps, t0 + chunk);
                INDArray in = features.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t0, t1)).dup();
                INDArray out = net.rnnTimeStep(in);
                if (out.rank() == 2) {                                          // one step: [B, V]
                    out = out.reshape(out.size(0), out.size(1), 1);
                }
                boolean sparse = labels.size(1) == 1 && out.size(1) > 1;
                INDArray truth = sparse ? null
                        : labels.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(t0, t1)).argMax(1); // [B, tc]
                INDArray predicted = out.argMax(1);                             // [B, tc]
                for (int i = 0; i < b; i++) {
                    for (long t = t0; t < t1; t++) {
                        if (mask != null && mask.getDouble(i, t) == 0) {
                            continue;
                        }
                        int s = (int) (t - t0);
                        long target = sparse ? (long) labels.getDouble(i, 0, t) : truth.getLong(i, s);
                        lossSum -= Math.log(Math.max(CLIP, out.getDouble(i, target, s)));
                        units++;
                        if (predicted.getLong(i, s) == target) {
                            correct++;
                        }
                    }
                }
            }
        } finally {
            net.rnnClearPreviousState();
        }
        return new double[] {lossSum, units, correct, b, 1};
    }

    private static double[] add(double[] a, double[] b) {
        double[] s = new double[5];
        for (int i = 0; i < 4; i++) {
            s[i] = a[i] + b[i];
        }
        s[4] = Math.max(a[4], b[4]);
        return s;
    }

    private static EvalResult toResult(String split, double[] s) {
        if (s[1] <= 0) {
            throw new IllegalArgumentException("split " + split + " has nothing to evaluate (0 target units)");
        }
        return new EvalResult(split, s[4] > 0, s[0] / s[1], s[2] / s[1], (long) s[1], (long) s[3]);
    }
}
