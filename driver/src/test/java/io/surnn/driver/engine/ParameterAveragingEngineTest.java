package io.surnn.driver.engine;

import io.surnn.driver.data.BatchPlan;
import io.surnn.driver.data.BatchedSplit;
import io.surnn.driver.data.Minibatches;
import io.surnn.driver.data.Record;
import io.surnn.driver.testutil.SparkTestContext;
import io.surnn.driver.testutil.TinyNets;
import io.surnn.prep.format.DatasetFormat;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParameterAveragingEngineTest {
    private static final int VOCAB = 12;
    private static final int CLASSES = 3;
    private static final int B = 8;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestContext.start("local[2]", "ParameterAveragingEngineTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    private static BatchedSplit split(List<Record> recs, int partitions) {
        BatchPlan plan = new BatchPlan(DatasetFormat.Kind.CLASSIFICATION, recs.size(), B, 1);
        return BatchedSplit.build(sc, "train", sc.parallelize(recs, 2), plan,
                r -> Minibatches.classification(r, CLASSES), null, partitions);
    }

    @Test
    void oneWorkerAveragingEveryMinibatchMatchesPlainFit() {
        List<Record> recs = TinyNets.records(48, VOCAB, CLASSES, 7);
        MultiLayerNetwork reference = TinyNets.classifier(VOCAB, CLASSES, 0.01, 3);
        MultiLayerNetwork distributed = reference.clone();
        try (BatchedSplit data = split(recs, 2);
             ParameterAveragingEngine engine = new ParameterAveragingEngine(sc, distributed,
                     new EngineSettings(B, 1, 0, 1, 1))) {
            for (long k = 0; k < data.numBatches(); k++) {
                engine.fitRound(data.round(k, k + 1, 1, 1, BatchedSplit.Layout.ASSIGN), "test round " + k, 1);
                // the same minibatch, built locally from the same records, fitted on one machine
                List<Record> batch = recs.subList((int) k * B, (int) Math.min(recs.size(), (k + 1) * B));
                reference.fit(Minibatches.classification(batch, CLASSES));
            }
            INDArray expected = reference.params();
            INDArray actual = engine.network().params();
            double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
            assertTrue(maxDiff < 1e-5, "max |param difference| = " + maxDiff);
            MultiLayerNetwork averaged = (MultiLayerNetwork) engine.network();
            assertTrue(reference.getUpdater().getStateViewArray()
                    .equalsWithEps(averaged.getUpdater().getStateViewArray(), 1e-5), "Adam state differs");
            assertEquals(reference.getIterationCount(), averaged.getIterationCount());
        }
    }

    @Test
    void oneWorkerMatchesPlainFitForALanguageModelWithTruncatedBptt() {
        // Rows of 10 tokens, tBPTT 4: DL4J makes 3 updates per minibatch (segments of 4, 4, 2). Adam's
        // bias correction reads the iteration counter, so the engine must count those 3, not 1.
        int vocab = 9;
        int segments = 3;
        MultiLayerNetwork reference = new MultiLayerNetwork(new io.surnn.ops.models.LanguageModelBuilder()
                .cell(io.surnn.ops.layers.CellType.SUGRU).vocabSize(vocab).embeddingSize(5).hiddenSize(6).layers(1)
                .dropout(0.0).surrogateWidth(0.3).initialUpdateRate(0.5).seed(4).learningRate(0.01).tbpttLength(4)
                .sparseLabels(true).build());
        reference.init();
        MultiLayerNetwork distributed = reference.clone();
        java.util.Random rnd = new java.util.Random(8);
        try (ParameterAveragingEngine engine = new ParameterAveragingEngine(sc, distributed,
                new EngineSettings(2, 1, 0, 1, 1, segments))) {
            for (int k = 0; k < 4; k++) {
                List<int[]> rows = List.of(rnd.ints(11, 0, vocab).toArray(), rnd.ints(11, 0, vocab).toArray());
                DataSet ds = Minibatches.languageModel(rows, vocab, true);
                engine.fitRound(sc.parallelize(List.of(ds), 1), "test round " + k, 1);
                reference.fit(ds);
            }
            assertEquals(4 * segments, reference.getIterationCount(), "DL4J counts one iteration per tBPTT segment");
            MultiLayerNetwork averaged = (MultiLayerNetwork) engine.network();
            assertEquals(reference.getIterationCount(), averaged.getIterationCount());
            double maxDiff = reference.params().sub(averaged.params()).amaxNumber().doubleValue();
            assertTrue(maxDiff < 1e-5, "max |param difference| = " + maxDiff);
        }
    }

    @Test
    void oneWorkerMatchesPlainFitForTheDualEncoderGraphOverSeveralRounds() {
        // DL4J M2's ComputationGraphConfiguration.clone() drops the iteration counter, so without the
        // engine's RoundCounters hook the workers restart Adam's bias correction every round: the second
        // round would differ by ~1e-2.
        org.deeplearning4j.nn.graph.ComputationGraph reference = new io.surnn.ops.models.DualEncoderBuilder().numClasses(2)
                .mlpSize(6).cell(io.surnn.ops.layers.CellType.SUGRU).vocabSize(VOCAB).embeddingSize(5).hiddenSize(6)
                .layers(1).dropout(0).seed(6).learningRate(0.01).buildNetwork();
        java.util.Random rnd = new java.util.Random(31);
        List<DataSet> batches = new java.util.ArrayList<>();
        for (int k = 0; k < 4; k++) {
            List<Record> recs = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int[] a = rnd.ints(3 + rnd.nextInt(4), 1, VOCAB).toArray();
                int[] b = rnd.ints(3 + rnd.nextInt(4), 1, VOCAB).toArray();
                recs.add(Record.pair(k * 4L + i, a, b, a[0] % 2));
            }
            batches.add(Minibatches.pair(recs, 2));
        }
        try (ParameterAveragingEngine engine = new ParameterAveragingEngine(sc, reference.clone(),
                new EngineSettings(4, 2, 0, 1, 1))) {
            for (int k = 0; k < 4; k += 2) {
                engine.fitRound(sc.parallelize(batches.subList(k, k + 2), 1), "graph round " + k, 2);
                reference.fit(org.deeplearning4j.nn.graph.util.ComputationGraphUtil.toMultiDataSet(batches.get(k)));
                reference.fit(org.deeplearning4j.nn.graph.util.ComputationGraphUtil.toMultiDataSet(batches.get(k + 1)));
            }
            org.deeplearning4j.nn.graph.ComputationGraph averaged = (org.deeplearning4j.nn.graph.ComputationGraph) engine.network();
            double maxDiff = reference.params().sub(averaged.params()).amaxNumber().doubleValue();
            assertTrue(maxDiff < 1e-5, "max |param difference| = " + maxDiff);
            assertTrue(reference.getUpdater().getStateViewArray()
                    .equalsWithEps(averaged.getUpdater().getStateViewArray(), 1e-5), "Adam state differs");
            assertEquals(reference.getIterationCount(), averaged.getIterationCount());
        }
    }

    @Test
    void theRoundProfileComesFromDl4jSparksTrainingStats() {
        List<Record> recs = TinyNets.records(128, VOCAB, CLASSES, 13);
        try (BatchedSplit data = split(recs, 2);
             ParameterAveragingEngine engine = new ParameterAveragingEngine(sc, TinyNets.classifier(VOCAB, CLASSES, 0.01, 6),
                     new EngineSettings(B, 4, 0, 2, 1))) {
            for (int r = 0; r < 2; r++) {
                TrainingEngine.RoundResult res = engine.fitRound(
                        data.round(r * 8L, r * 8L + 8, 2, 4, BatchedSplit.Layout.ASSIGN), "profiled " + r, 4);
                RoundProfile p = res.profile();
                assertTrue(p.profiled(), "round " + r + ": " + p);
                assertEquals(2, p.workers(), "two busy workers (stats reset between rounds): " + p);
                assertEquals(2, p.replicasBuilt(), "dl4j-spark builds every worker's network every round");
                assertEquals(-1, p.driverBytesReceived());
                assertEquals(res.millis(), p.totalMs(), "phases sum to the wall time: " + p);
                assertTrue(p.fitMs() > 0, "four fits take time: " + p);
            }
        }
    }

    @Test
    void twoWorkersReduceTheTrainingLossOfASuGruClassifier() {
        List<Record> recs = TinyNets.records(256, VOCAB, CLASSES, 11);
        MultiLayerNetwork net = new io.surnn.ops.models.SequenceClassifierBuilder()
                .cell(io.surnn.ops.layers.CellType.SUGRU).vocabSize(VOCAB).embeddingSize(8).hiddenSize(16).layers(1)
                .dropout(0.0).surrogateWidth(0.3).numClasses(CLASSES).learningRate(0.02).seed(5).buildNetwork();
        DataSet all = Minibatches.classification(recs, CLASSES);
        double before = net.score(all);
        int workers = 2;
        int freq = 2;
        try (BatchedSplit data = split(recs, 2);
             ParameterAveragingEngine engine = new ParameterAveragingEngine(sc, net,
                     new EngineSettings(B, freq, 1, workers, 1))) {
            long perRound = (long) workers * freq;
            for (int epoch = 0; epoch < 4; epoch++) {
                for (long lo = 0; lo < data.numBatches(); lo += perRound) {
                    long hi = Math.min(data.numBatches(), lo + perRound);
                    engine.fitRound(data.round(lo, hi, workers, freq, BatchedSplit.Layout.ASSIGN), "epoch " + epoch, freq);
                }
            }
            double after = ((MultiLayerNetwork) engine.network()).score(all);
            assertTrue(after < before * 0.8, "loss " + before + " -> " + after);
        }
    }

    @Test
    void learningRateSetBetweenRoundsReachesTheWorkers() {
        List<Record> recs = TinyNets.records(32, VOCAB, CLASSES, 5);
        MultiLayerNetwork net = TinyNets.classifier(VOCAB, CLASSES, 0.01, 4);
        try (BatchedSplit data = split(recs, 2);
             ParameterAveragingEngine engine = new ParameterAveragingEngine(sc, net, new EngineSettings(B, 1, 0, 1, 1))) {
            engine.setLearningRate(0.0);
            INDArray before = engine.network().params().dup();
            engine.fitRound(data.round(0, 1, 1, 1, BatchedSplit.Layout.ASSIGN), "lr 0", 1);
            assertTrue(before.sub(engine.network().params()).amaxNumber().doubleValue() < 1e-6, "lr 0 must not move");
            engine.setLearningRate(0.05);
            engine.fitRound(data.round(1, 2, 1, 1, BatchedSplit.Layout.ASSIGN), "lr 0.05", 1);
            assertTrue(before.sub(engine.network().params()).amaxNumber().doubleValue() > 1e-3, "lr 0.05 must move");
        }
    }
}
