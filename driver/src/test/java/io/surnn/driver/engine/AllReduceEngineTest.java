package io.surnn.driver.engine;

import io.surnn.ops.models.Networks;
import io.surnn.driver.data.BatchPlan;
import io.surnn.driver.data.BatchedSplit;
import io.surnn.driver.data.Minibatches;
import io.surnn.driver.data.Record;
import io.surnn.driver.testutil.TinyNets;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.DualEncoderBuilder;
import io.surnn.ops.models.LanguageModelBuilder;
import io.surnn.prep.format.DatasetFormat;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The allreduce engine against plain single-machine {@code fit} (one worker) and against dl4j-spark's
 * parameter averaging (two workers): same parameters, same Adam state, same counters; replicas kept
 * between rounds; the driver receiving one parameter vector per round whatever the worker count.
 */
class AllReduceEngineTest {
    private static final int VOCAB = 12;
    private static final int CLASSES = 3;
    private static final int B = 8;
    private static final double TOL = 1e-5;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        // Kryo with ND4J's registrator, as the cluster profiles (conf/cluster/common.conf) run it: the
        // broadcasts and shards must survive that serializer too.
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("AllReduceEngineTest")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.default.parallelism", "2")
                .set("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .set("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator"));
        sc.setLogLevel("WARN");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static double maxDiff(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    private static void assertSameState(Model expected, Model actual, String what) {
        double p = maxDiff(expected.params(), actual.params());
        assertTrue(p < TOL, what + ": max |param difference| = " + p);
        double u = maxDiff(AllReduceEngine.updaterState(expected), AllReduceEngine.updaterState(actual));
        assertTrue(u < TOL, what + ": max |updater state difference| = " + u);
        assertEquals(Networks.iterationCount(expected), Networks.iterationCount(actual), what + ": iteration count");
    }

    /** One round: its minibatches laid out as {@code workers} partitions of consecutive minibatches. */
    private static TrainingEngine.RoundResult fitRound(TrainingEngine e, List<DataSet> round, int workers, int perWorker) {
        return e.fitRound(sc.parallelize(round, workers), "test", perWorker);
    }

    private static List<DataSet> classificationBatches(int n, long seed) {
        List<Record> recs = TinyNets.records(n * B, VOCAB, CLASSES, seed);
        List<DataSet> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(Minibatches.classification(recs.subList(k * B, (k + 1) * B), CLASSES));
        }
        return out;
    }

    @Test
    void oneWorkerMatchesPlainFitThroughTheCachedSplit() {
        List<Record> recs = TinyNets.records(48, VOCAB, CLASSES, 7);
        MultiLayerNetwork reference = TinyNets.classifier(VOCAB, CLASSES, 0.01, 3);
        MultiLayerNetwork distributed = reference.clone();
        BatchPlan plan = new BatchPlan(DatasetFormat.Kind.CLASSIFICATION, recs.size(), B, 1);
        try (BatchedSplit data = BatchedSplit.build(sc, "train", sc.parallelize(recs, 2), plan,
                r -> Minibatches.classification(r, CLASSES), null, 2);
             AllReduceEngine engine = new AllReduceEngine(sc, distributed, new EngineSettings(B, 1, 0, 1, 1))) {
            for (long k = 0; k < data.numBatches(); k++) {
                TrainingEngine.RoundResult res = engine.fitRound(
                        data.round(k, k + 1, 1, 1, BatchedSplit.Layout.ASSIGN), "test round " + k, 1);
                List<Record> batch = recs.subList((int) k * B, (int) Math.min(recs.size(), (k + 1) * B));
                DataSet ds = Minibatches.classification(batch, CLASSES);
                reference.fit(ds);
                assertEquals(reference.score(), res.loss(), 1e-5, "the round's loss is the worker's last score");
            }
            assertSameState(reference, engine.network(), "one worker, averaging every minibatch");
            assertEquals(1, engine.replicasBuilt(), "one replica, built once, reused every round");
        }
    }

    @Test
    void oneWorkerFittingSeveralMinibatchesPerRoundMatchesPlainFit() {
        List<DataSet> batches = classificationBatches(6, 17);
        MultiLayerNetwork reference = TinyNets.classifier(VOCAB, CLASSES, 0.01, 5);
        try (AllReduceEngine engine = new AllReduceEngine(sc, reference.clone(), new EngineSettings(B, 3, 1, 1, 1))) {
            fitRound(engine, batches.subList(0, 3), 1, 3);
            fitRound(engine, batches.subList(3, 6), 1, 3);
            batches.forEach(reference::fit);
            assertSameState(reference, engine.network(), "one worker, 3 minibatches per round, prefetch 1");
        }
    }

    @Test
    void oneWorkerMatchesPlainFitForALanguageModelWithTruncatedBptt() {
        int vocab = 9;
        int segments = 3; // rows of 10 steps at tBPTT 4
        MultiLayerNetwork reference = new MultiLayerNetwork(new LanguageModelBuilder()
                .cell(CellType.SUGRU).vocabSize(vocab).embeddingSize(5).hiddenSize(6).layers(1).dropout(0)
                .initialUpdateRate(0.5).seed(4).learningRate(0.01).tbpttLength(4).sparseLabels(true).build());
        reference.init();
        Random rnd = new Random(8);
        try (AllReduceEngine engine = new AllReduceEngine(sc, reference.clone(), new EngineSettings(2, 1, 0, 1, 1, segments))) {
            for (int k = 0; k < 4; k++) {
                List<int[]> rows = List.of(rnd.ints(11, 0, vocab).toArray(), rnd.ints(11, 0, vocab).toArray());
                DataSet ds = Minibatches.languageModel(rows, vocab, true);
                fitRound(engine, List.of(ds), 1, 1);
                reference.fit(ds);
            }
            assertEquals(4 * segments, reference.getIterationCount());
            assertSameState(reference, engine.network(), "tBPTT language model");
        }
    }

    @Test
    void twoWorkersMatchParameterAveragingForAMultiLayerNetworkAndKeepTheirReplicas() {
        MultiLayerNetwork init = TinyNets.classifier(VOCAB, CLASSES, 0.01, 9);
        int workers = 2;
        int freq = 2;
        List<DataSet> batches = classificationBatches(3 * workers * freq, 23);
        double[] lrs = {0.01, 0.004, 0.02};
        try (ParameterAveragingEngine paramavg = new ParameterAveragingEngine(sc, init.clone(),
                     new EngineSettings(B, freq, 0, workers, 1));
             AllReduceEngine allreduce = new AllReduceEngine(sc, init.clone(), new EngineSettings(B, freq, 0, workers, 1))) {
            long builtAfterFirst = 0;
            for (int r = 0; r < 3; r++) {
                List<DataSet> round = batches.subList(r * workers * freq, (r + 1) * workers * freq);
                paramavg.setLearningRate(lrs[r]);
                allreduce.setLearningRate(lrs[r]);
                TrainingEngine.RoundResult a = fitRound(paramavg, round, workers, freq);
                TrainingEngine.RoundResult b = fitRound(allreduce, round, workers, freq);
                assertSameState(paramavg.network(), allreduce.network(), "round " + (r + 1));
                assertEquals(a.loss(), b.loss(), 1e-5, "mean of the workers' last scores, round " + (r + 1));
                assertEquals(workers, b.profile().workers());
                if (r == 0) {
                    builtAfterFirst = allreduce.replicasBuilt();
                    assertTrue(builtAfterFirst >= 1 && builtAfterFirst <= workers, "built " + builtAfterFirst);
                }
            }
            // local[2] runs at most two tasks at once: never more than two replicas, however many rounds
            assertTrue(allreduce.replicasBuilt() <= workers, "replicas rebuilt between rounds: " + allreduce.replicasBuilt());
            assertEquals(allreduce.replicasBuilt(), AllReduceEngine.ReplicaPool.idle(allreduce.runId()),
                    "every replica built is back in the pool");
        }
    }

    @Test
    void twoWorkersMatchParameterAveragingForTheDualEncoderGraph() {
        ComputationGraph init = new DualEncoderBuilder().numClasses(2).mlpSize(6).cell(CellType.SUGRU).vocabSize(VOCAB)
                .embeddingSize(5).hiddenSize(6).layers(1).dropout(0).seed(6).learningRate(0.01).buildNetwork();
        Random rnd = new Random(31);
        List<DataSet> batches = new ArrayList<>();
        for (int k = 0; k < 8; k++) {
            List<Record> recs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int[] a = rnd.ints(3 + rnd.nextInt(4), 1, VOCAB).toArray();
                int[] b = rnd.ints(3 + rnd.nextInt(4), 1, VOCAB).toArray();
                recs.add(Record.pair(k * 4L + i, a, b, a[0] % 2));
            }
            batches.add(Minibatches.pair(recs, 2));
        }
        int workers = 2;
        int freq = 2;
        try (ParameterAveragingEngine paramavg = new ParameterAveragingEngine(sc, init.clone(),
                     new EngineSettings(4, freq, 0, workers, 1));
             AllReduceEngine allreduce = new AllReduceEngine(sc, init.clone(), new EngineSettings(4, freq, 0, workers, 1), 3)) {
            for (int r = 0; r < 2; r++) {
                List<DataSet> round = batches.subList(r * 4, (r + 1) * 4);
                TrainingEngine.RoundResult a = fitRound(paramavg, round, workers, freq);
                TrainingEngine.RoundResult b = fitRound(allreduce, round, workers, freq);
                assertSameState(paramavg.network(), allreduce.network(), "dual encoder, round " + (r + 1));
                assertEquals(a.loss(), b.loss(), 1e-5);
                assertEquals(workers, a.profile().workers(), "paramavg profiles graph rounds too: " + a.profile());
                assertEquals(workers, b.profile().workers());
            }
            assertTrue(allreduce.network() instanceof ComputationGraph);
            assertTrue(allreduce.replicasBuilt() <= workers, "replicas rebuilt between rounds: " + allreduce.replicasBuilt());
        }
    }

    @Test
    void aLostReplicaIsRebuiltFromTheBroadcastAndTheRoundStillMatches() {
        MultiLayerNetwork init = TinyNets.classifier(VOCAB, CLASSES, 0.01, 12);
        List<DataSet> batches = classificationBatches(8, 41);
        try (ParameterAveragingEngine paramavg = new ParameterAveragingEngine(sc, init.clone(), new EngineSettings(B, 2, 0, 2, 1));
             AllReduceEngine allreduce = new AllReduceEngine(sc, init.clone(), new EngineSettings(B, 2, 0, 2, 1))) {
            fitRound(paramavg, batches.subList(0, 4), 2, 2);
            fitRound(allreduce, batches.subList(0, 4), 2, 2);
            long before = allreduce.replicasBuilt();
            AllReduceEngine.ReplicaPool.drop(allreduce.runId()); // what an executor loss does to its replicas
            fitRound(paramavg, batches.subList(4, 8), 2, 2);
            TrainingEngine.RoundResult b = fitRound(allreduce, batches.subList(4, 8), 2, 2);
            assertTrue(b.profile().replicasBuilt() >= 1, "rebuilt after the loss: " + b.profile().replicasBuilt());
            assertEquals(before + b.profile().replicasBuilt(), allreduce.replicasBuilt());
            assertSameState(paramavg.network(), allreduce.network(), "after rebuilding");
        }
    }

    @Test
    void theDriverReceivesOneParameterVectorPerRoundWhateverTheWorkerCount() {
        MultiLayerNetwork init = TinyNets.classifier(VOCAB, CLASSES, 0.01, 2);
        List<DataSet> batches = classificationBatches(2, 3);
        long length = init.numParams() + AllReduceEngine.updaterState(init).length();
        int shards = 2;
        long expected = length * Float.BYTES + shards * (long) (Double.BYTES + Integer.BYTES);
        try (AllReduceEngine one = new AllReduceEngine(sc, init.clone(), new EngineSettings(B, 2, 0, 1, 1), shards);
             AllReduceEngine two = new AllReduceEngine(sc, init.clone(), new EngineSettings(B, 1, 0, 2, 1), shards)) {
            RoundProfile p1 = fitRound(one, batches, 1, 2).profile();
            RoundProfile p2 = fitRound(two, batches, 2, 1).profile();
            assertEquals(1, p1.workers());
            assertEquals(2, p2.workers());
            assertEquals(expected, p1.driverBytesReceived());
            assertEquals(expected, p2.driverBytesReceived());
        }
    }

    @Test
    void theRoundProfileAccountsForTheWallTime() {
        MultiLayerNetwork init = TinyNets.classifier(VOCAB, CLASSES, 0.01, 2);
        List<DataSet> batches = classificationBatches(8, 5);
        try (AllReduceEngine engine = new AllReduceEngine(sc, init, new EngineSettings(B, 4, 0, 2, 1))) {
            TrainingEngine.RoundResult r = engine.fitRound(sc.parallelize(batches, 2), "profiled", 4);
            RoundProfile p = r.profile();
            assertTrue(p.profiled());
            assertEquals(r.millis(), p.totalMs(), "phases sum to the round's wall time: " + p);
            assertTrue(p.fitMs() > 0, "four fits take time: " + p);
            assertEquals(2, p.workers());
            assertEquals(List.of("data", "fit", "aggregate", "broadcast", "schedule"), List.copyOf(p.phases().keySet()));
        }
    }

    @Test
    void learningRateSetBetweenRoundsReachesTheReplicas() {
        List<DataSet> batches = classificationBatches(2, 5);
        try (AllReduceEngine engine = new AllReduceEngine(sc, TinyNets.classifier(VOCAB, CLASSES, 0.01, 4),
                new EngineSettings(B, 1, 0, 1, 1))) {
            engine.setLearningRate(0.0);
            INDArray before = engine.network().params().dup();
            fitRound(engine, batches.subList(0, 1), 1, 1);
            assertTrue(maxDiff(before, engine.network().params()) < 1e-6, "lr 0 must not move");
            engine.setLearningRate(0.05);
            fitRound(engine, batches.subList(1, 2), 1, 1);
            assertTrue(maxDiff(before, engine.network().params()) > 1e-3, "lr 0.05 must move");
        }
    }
}
