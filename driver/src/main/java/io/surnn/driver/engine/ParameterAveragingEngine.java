package io.surnn.driver.engine;

import org.apache.spark.api.java.JavaRDD;
import io.surnn.ops.models.Networks;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;

/**
 * dl4j-spark's synchronous parameter averaging ({@link ParameterAveragingTrainingMaster}, Direct
 * approach: the RDD's DataSets go straight to the workers, no temporary files).
 *
 * <p>Design: the training loop hands over exactly one averaging round per {@link #fitRound} call
 * (≤ workers × averaging-frequency minibatches of {@code batchPerWorker} examples). Sized like that,
 * dl4j-spark neither random-splits nor repartitions the RDD (its repartition is set to Never: the
 * driver has already laid the round out over the workers), so each worker fits its partition's
 * minibatches in order, then parameters and updater state are averaged into {@link #network()}.
 *
 * <p>Counters: Adam's bias correction reads the iteration counter, and {@code SparkDl4jMultiLayer.fit}
 * counts every call as an epoch. After each round the engine pins the iteration counter to (before +
 * the busiest worker's steps × updates per minibatch) — what plain {@code net.fit} would have; with
 * truncated BPTT DL4J makes one update per segment — and restores the epoch counter,
 * so schedules never depend on how dl4j-spark aggregates the workers' counters. (With one worker,
 * dl4j-spark's own counter already agrees; the pin makes it explicit for any worker count.)
 *
 * <p>Network types: a MultiLayerNetwork trains through {@link SparkDl4jMultiLayer}, a ComputationGraph
 * (the dual encoder) through {@link SparkComputationGraph}, both under the same training master and
 * the same round logic; {@link Fitter} is the one seam between them.
 */
public final class ParameterAveragingEngine implements TrainingEngine {
    private final JavaSparkContext sc;
    private final Fitter spark;
    private final int updatesPerMinibatch;

    /** dl4j-spark's wrapper for one network type: fit an RDD of DataSets, report the score, hold the network. */
    private interface Fitter {
        void fit(JavaRDD<DataSet> data);

        double score();

        Model network();

        void deleteTempFiles(JavaSparkContext sc);
    }

    public ParameterAveragingEngine(JavaSparkContext sc, Model net, EngineSettings s) {
        this.sc = sc;
        this.updatesPerMinibatch = s.updatesPerMinibatch();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(s.workers(), s.batchPerWorker())
                .batchSizePerWorker(s.batchPerWorker())
                .averagingFrequency(s.averagingFrequency())
                .workerPrefetchNumBatches(s.prefetch())
                .repartionData(Repartition.Never)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .saveUpdater(true)
                .rngSeed(s.seed())
                .collectTrainingStats(false)
                .build();
        this.spark = Networks.GRAPH.equals(Networks.typeName(net))
                ? graphFitter(new SparkComputationGraph(sc, (ComputationGraph) net, master))
                : multiLayerFitter(new SparkDl4jMultiLayer(sc, (MultiLayerNetwork) net, master));
    }

    private static Fitter multiLayerFitter(SparkDl4jMultiLayer w) {
        return new Fitter() {
            @Override public void fit(JavaRDD<DataSet> data) { w.fit(data); }
            @Override public double score() { return w.getScore(); }
            @Override public Model network() { return w.getNetwork(); }
            @Override public void deleteTempFiles(JavaSparkContext sc) { w.getTrainingMaster().deleteTempFiles(sc); }
        };
    }

    private static Fitter graphFitter(SparkComputationGraph w) {
        return new Fitter() {
            @Override public void fit(JavaRDD<DataSet> data) { w.fit(data); }
            @Override public double score() { return w.getScore(); }
            @Override public Model network() { return w.getNetwork(); }
            @Override public void deleteTempFiles(JavaSparkContext sc) { w.getTrainingMaster().deleteTempFiles(sc); }
        };
    }

    @Override
    public RoundResult fitRound(JavaRDD<DataSet> round, String description, int stepsPerWorker) {
        Model net = spark.network();
        int iterations = Networks.iterationCount(net);
        int epochs = Networks.epochCount(net);
        long t0 = System.currentTimeMillis();
        sc.setJobGroup("surnn-train", description, true);
        try {
            spark.fit(round);
        } finally {
            sc.clearJobGroup();
        }
        // Keep the counters the updater schedules and Adam's bias correction read (see class note).
        Networks.setCounters(net, iterations + stepsPerWorker * updatesPerMinibatch, epochs);
        return new RoundResult(spark.score(), System.currentTimeMillis() - t0);
    }

    @Override
    public Model network() {
        return spark.network();
    }

    @Override
    public void setLearningRate(double lr) {
        Networks.setLearningRate(spark.network(), lr);
    }

    @Override
    public String name() {
        return "parameter-averaging";
    }

    @Override
    public void close() {
        spark.deleteTempFiles(sc);
    }
}
