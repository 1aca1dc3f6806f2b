package io.surnn.driver.eval;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import io.surnn.driver.engine.Networks;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

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

    /** {loss sum, units, correct, examples, perToken ? 1 : 0} of one minibatch. */
    static double[] score(Model net, DataSet ds) {
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
