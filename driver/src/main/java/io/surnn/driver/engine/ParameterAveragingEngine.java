package io.surnn.driver.engine;

import org.apache.spark.api.java.JavaRDD;
import io.surnn.ops.models.Networks;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.TrainingHook;
import org.deeplearning4j.spark.api.stats.CommonSparkTrainingStats;
import org.deeplearning4j.spark.api.stats.SparkTrainingStats;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.stats.ParameterAveragingTrainingMasterStats;
import org.deeplearning4j.spark.stats.EventStats;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

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
 * dl4j-spark's own counter already agrees; the pin makes it explicit for any worker count.) On the
 * workers, dl4j-spark builds each round's network from a clone of the driver's configuration, and
 * DL4J M2's {@code ComputationGraphConfiguration.clone()} drops the counters (the MultiLayer one keeps
 * them): a graph's workers would restart Adam's bias correction at iteration 0 every round. The
 * {@link RoundCounters} hook sets the round's starting counters into the worker's network before its
 * first minibatch, for both network types.
 *
 * <p>Network types: a MultiLayerNetwork trains through {@link SparkDl4jMultiLayer}, a ComputationGraph
 * (the dual encoder) through {@link SparkComputationGraph}, both under the same training master and
 * the same round logic; {@link Fitter} is the one seam between them.
 *
 * <p>Round profile: dl4j-spark's own {@code SparkTrainingStats} are switched on. They cost a few
 * timestamps per minibatch on the workers, shipped back inside the results the driver aggregates
 * anyway (no extra job, no extra pass over the data), and the engine reads and resets them after every
 * round so the driver's lists never grow. {@link #profile} maps them onto {@link RoundProfile}:
 * data = the master's count job (it materialises the round's shuffle) + the critical worker's
 * minibatch waits; fit = its {@code processMinibatch} times; broadcast = the master's broadcast
 * creation + the worker's {@code getInitialModel} (broadcast fetch and a network rebuild from the
 * configuration, every round); aggregate = from the critical worker's end to the end of the master's
 * tree-aggregate, plus the division and copy into the driver's network. dl4j-spark does not count the
 * bytes the driver receives ({@code driverBytesReceived} = -1); with N workers it is N parameter and
 * updater vectors for N ≤ 5 (tree-aggregate depth 2 adds an intermediate level only from 6
 * partitions on), about √N vectors beyond.
 */
public final class ParameterAveragingEngine implements TrainingEngine {
    private final JavaSparkContext sc;
    private final Fitter spark;
    private final ParameterAveragingTrainingMaster master;
    private final RoundCounters counters = new RoundCounters();
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
                .collectTrainingStats(true)
                .trainingHooks(counters)
                .build();
        this.master = master;
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
        counters.iterations = iterations;
        counters.epochs = epochs;
        long t0 = System.currentTimeMillis();
        sc.setJobGroup("surnn-train", description, true);
        try {
            spark.fit(round);
        } finally {
            sc.clearJobGroup();
        }
        // Keep the counters the updater schedules and Adam's bias correction read (see class note).
        Networks.setCounters(net, iterations + stepsPerWorker * updatesPerMinibatch, epochs);
        long wall = System.currentTimeMillis() - t0;
        SparkTrainingStats stats = master.getTrainingStats();
        // a fresh stats helper for the next round (dl4j-spark's lists grow with every fit otherwise)
        master.setCollectTrainingStats(false);
        master.setCollectTrainingStats(true);
        return new RoundResult(spark.score(), wall, profile(stats, wall));
    }

    /**
     * Sets the round's starting iteration and epoch counters into a worker's network before its first
     * minibatch (see the class note). The driver sets the fields before each round; each task gets its
     * own deserialised copy, so {@code applied} is per task.
     */
    static final class RoundCounters implements TrainingHook {
        private static final long serialVersionUID = 1L;
        int iterations;
        int epochs;
        private boolean applied;

        private void apply(Model m) {
            if (!applied) {
                Networks.setCounters(m, iterations, epochs);
                applied = true;
            }
        }

        @Override public void preUpdate(org.nd4j.linalg.dataset.api.DataSet ds, Model m) { apply(m); }
        @Override public void postUpdate(org.nd4j.linalg.dataset.api.DataSet ds, Model m) {}
        @Override public void preUpdate(org.nd4j.linalg.dataset.api.MultiDataSet ds, Model m) { apply(m); }
        @Override public void postUpdate(org.nd4j.linalg.dataset.api.MultiDataSet ds, Model m) {}
    }

    /** The round profile from one round's dl4j-spark stats (see the class note); NONE if there are none. */
    static RoundProfile profile(SparkTrainingStats stats, long wallMs) {
        if (!(stats instanceof ParameterAveragingTrainingMasterStats m)
                || !(m.getWorkerStats() instanceof CommonSparkTrainingStats w)
                || w.getWorkerFlatMapTotalTimeMs() == null) {
            return RoundProfile.NONE;
        }
        List<EventStats> totals = w.getWorkerFlatMapTotalTimeMs();
        EventStats critical = null;
        int busy = 0;
        for (EventStats t : totals) {
            if (within(w.getWorkerFlatMapProcessMiniBatchTimesMs(), t).isEmpty()) {
                continue; // an empty partition: no minibatch, no result
            }
            busy++;
            if (critical == null || end(t) > end(critical)) {
                critical = t;
            }
        }
        if (critical == null) {
            return RoundProfile.NONE;
        }
        long data = sum(m.getParameterAveragingMasterCountRddSizeTimesMs())
                + sum(within(w.getWorkerFlatMapDataSetGetTimesMs(), critical));
        long fit = sum(within(w.getWorkerFlatMapProcessMiniBatchTimesMs(), critical));
        long broadcast = sum(m.getParameterAveragingMasterBroadcastCreateTimesMs())
                + sum(within(w.getWorkerFlatMapGetInitialModelTimeMs(), critical));
        long aggregateEnd = 0;
        for (EventStats a : nonNull(m.getParamaterAveragingMasterAggregateTimesMs())) {
            aggregateEnd = Math.max(aggregateEnd, end(a));
        }
        long aggregate = Math.max(0, aggregateEnd - end(critical))
                + sum(m.getParameterAveragingMasterProcessParamsUpdaterTimesMs());
        return RoundProfile.of(wallMs, data, fit, aggregate, broadcast, busy, -1, busy);
    }

    private static long end(EventStats e) {
        return e.getStartTime() + e.getDurationMs();
    }

    private static List<EventStats> nonNull(List<EventStats> l) {
        return l == null ? List.of() : l;
    }

    /** The events of the worker task {@code task}: same machine, JVM and thread, inside its time window. */
    private static List<EventStats> within(List<EventStats> events, EventStats task) {
        return nonNull(events).stream()
                .filter(e -> e.getThreadID() == task.getThreadID()
                        && java.util.Objects.equals(e.getJvmID(), task.getJvmID())
                        && java.util.Objects.equals(e.getMachineID(), task.getMachineID())
                        && e.getStartTime() >= task.getStartTime() && end(e) <= end(task))
                .toList();
    }

    private static long sum(List<EventStats> events) {
        long s = 0;
        for (EventStats e : nonNull(events)) {
            s += e.getDurationMs();
        }
        return s;
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
