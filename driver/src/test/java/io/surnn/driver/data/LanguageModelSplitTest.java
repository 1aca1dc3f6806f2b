package io.surnn.driver.data;

import io.surnn.driver.eval.DistributedEvaluator;
import io.surnn.driver.eval.EvalResult;
import io.surnn.driver.testutil.SparkTestContext;
import io.surnn.prep.format.DatasetFormat;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LM windows → cached minibatches on Spark, and per-token evaluation across executors. */
class LanguageModelSplitTest {
    private static final int SEQ = 5;
    private static final int VOCAB = 9;
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = SparkTestContext.start("local[2]", "LanguageModelSplitTest");
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    /** A stream of n·SEQ+1 ids cut into n windows of SEQ+1 ids overlapping by one (the prep layout). */
    private static List<Record> windows(int[] stream, int n) {
        List<Record> out = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            int[] w = new int[SEQ + 1];
            System.arraycopy(stream, j * SEQ, w, 0, SEQ + 1);
            out.add(Record.lmWindow(j, (long) j * SEQ, w));
        }
        return out;
    }

    @Test
    void consecutiveBatchesWalkTheStreamInOrder() {
        int n = 23;
        int[] stream = new Random(3).ints(n * SEQ + 1, 0, VOCAB).toArray();
        BatchPlan plan = new BatchPlan(DatasetFormat.Kind.LM, n, 2, 2);   // rows of 2 windows, 2 rows per batch
        try (BatchedSplit split = BatchedSplit.build(sc, "train", sc.parallelize(windows(stream, n), 3), plan,
                recs -> Minibatches.languageModel(Minibatches.joinWindows(recs, 2), VOCAB, true), null, 3)) {
            assertEquals(6, split.numBatches());
            List<DataSet> inOrder = split.round(0, split.numBatches(), 1, (int) split.numBatches(), BatchedSplit.Layout.ASSIGN).collect();
            int pos = 0;
            for (DataSet ds : inOrder) {
                for (int row = 0; row < ds.getFeatures().size(0); row++) {
                    for (int s = 0; s < ds.getFeatures().size(2); s++) {
                        if (ds.getFeaturesMaskArray().getDouble(row, s) == 0) {
                            continue;
                        }
                        assertEquals(stream[pos], (int) ds.getFeatures().getDouble(row, 0, s), "input at stream position " + pos);
                        assertEquals(stream[pos + 1], (int) ds.getLabels().getDouble(row, 0, s), "target at stream position " + pos);
                        pos++;
                    }
                }
            }
            assertEquals(n * SEQ, pos, "every stream position exactly once");
        }
    }

    @Test
    void distributedPerTokenLossMatchesTheLocalScore() {
        int n = 16;
        int[] stream = new Random(5).ints(n * SEQ + 1, 0, VOCAB).toArray();
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).updater(new Adam(0.01)).list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(6).build())
                .layer(new LSTM.Builder().nIn(6).nOut(8).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).activation(Activation.SOFTMAX).nIn(8).nOut(VOCAB).build())
                .backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(4).tBPTTBackwardLength(4)
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        BatchPlan plan = new BatchPlan(DatasetFormat.Kind.LM, n, 4, 1);
        try (BatchedSplit split = BatchedSplit.build(sc, "valid", sc.parallelize(windows(stream, n), 2), plan,
                recs -> Minibatches.languageModel(Minibatches.joinWindows(recs, 1), VOCAB, true), null, 2)) {
            EvalResult distributed = DistributedEvaluator.evaluate(sc, net, split.all(), "valid");
            List<DataSet> local = split.all().collect();
            double lossSum = 0;
            for (DataSet ds : local) {
                lossSum += net.score(ds) * ds.getFeatures().size(0);   // score = summed token loss / B
            }
            assertEquals(n * SEQ, distributed.units());
            assertEquals(lossSum / (n * SEQ), distributed.loss(), 1e-4);
            assertEquals(DistributedEvaluator.evaluateLocally(net, local, "valid").accuracy(), distributed.accuracy(), 1e-9);
            assertTrue(distributed.perplexity() > 1 && distributed.perplexity() < 3 * VOCAB, "perplexity " + distributed.perplexity());
        }
    }
}
