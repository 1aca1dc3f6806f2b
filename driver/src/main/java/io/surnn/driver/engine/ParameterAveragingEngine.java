package io.surnn.driver.engine;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
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
 * the busiest worker's steps) — what plain {@code net.fit} would have — and restores the epoch counter,
 * so schedules never depend on how dl4j-spark aggregates the workers' counters. (With one worker,
 * dl4j-spark's own counter already agrees; the pin makes it explicit for any worker count.)
 */
public final class ParameterAveragingEngine implements TrainingEngine {
    private final JavaSparkContext sc;
    private final SparkDl4jMultiLayer spark;

    public ParameterAveragingEngine(JavaSparkContext sc, MultiLayerNetwork net, EngineSettings s) {
        this.sc = sc;
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
        this.spark = new SparkDl4jMultiLayer(sc, net, master);
    }

    @Override
    public RoundResult fitRound(JavaRDD<DataSet> round, String description, int stepsPerWorker) {
        MultiLayerNetwork net = spark.getNetwork();
        int iterations = net.getIterationCount();
        int epochs = net.getEpochCount();
        long t0 = System.currentTimeMillis();
        sc.setJobGroup("surnn-train", description, true);
        try {
            spark.fit(round);
        } finally {
            sc.clearJobGroup();
        }
        // Keep the counters the updater schedules and Adam's bias correction read (see class note).
        net.setIterationCount(iterations + stepsPerWorker);
        net.setEpochCount(epochs);
        return new RoundResult(spark.getScore(), System.currentTimeMillis() - t0);
    }

    @Override
    public MultiLayerNetwork network() {
        return spark.getNetwork();
    }

    @Override
    public void setLearningRate(double lr) {
        spark.getNetwork().setLearningRate(lr);
    }

    @Override
    public String name() {
        return "parameter-averaging";
    }

    @Override
    public void close() {
        spark.getTrainingMaster().deleteTempFiles(sc);
    }
}
