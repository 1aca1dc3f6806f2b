package io.surnn.driver.eval;

import io.surnn.driver.data.Minibatches;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.LanguageModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Language-model evaluation in time chunks (rnnTimeStep, state carried across chunks) must give the
 * same loss sum, token count and hits as one full forward pass, for any chunk length, with
 * right-padded rows, sparse and one-hot labels.
 */
class ChunkedEvaluationTest {
    private static final int VOCAB = 11;

    private static MultiLayerNetwork lm(boolean sparseLabels) {
        MultiLayerNetwork net = new MultiLayerNetwork(new LanguageModelBuilder()
                .cell(CellType.SUGRU).vocabSize(VOCAB).embeddingSize(6).hiddenSize(8).layers(2)
                .dropout(0.0).surrogateWidth(0.3).initialUpdateRate(0.4).seed(3).tbpttLength(4)
                .sparseLabels(sparseLabels).build());
        net.init();
        return net;
    }

    /** Rows of unequal length (so the batch is right-padded), ids in [0, VOCAB). */
    private static DataSet batch(boolean sparseLabels) {
        Random rnd = new Random(17);
        List<int[]> rows = new ArrayList<>();
        for (int len : new int[] {13, 9, 13, 4}) {
            rows.add(rnd.ints(len, 0, VOCAB).toArray());
        }
        return Minibatches.languageModel(rows, VOCAB, sparseLabels);
    }

    /** What the full pass gives: {loss sum, units, hits} from scoreExamples and one output call. */
    private static double[] fullPass(MultiLayerNetwork net, DataSet ds, boolean sparseLabels) {
        net.rnnClearPreviousState();
        double loss = net.scoreExamples(ds, false).sumNumber().doubleValue();
        INDArray out = net.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        INDArray mask = ds.getLabelsMaskArray();
        double units = 0;
        double hits = 0;
        for (int i = 0; i < out.size(0); i++) {
            for (int t = 0; t < out.size(2); t++) {
                if (mask.getDouble(i, t) == 0) continue;
                long truth = sparseLabels ? (long) ds.getLabels().getDouble(i, 0, t)
                        : ds.getLabels().get(NDArrayIndex.point(i),
                        NDArrayIndex.all(), NDArrayIndex.point(t)).argMax().getLong(0);
                units++;
                long pred = out.get(NDArrayIndex.point(i), NDArrayIndex.all(),
                        NDArrayIndex.point(t)).argMax().getLong(0);
                if (pred == truth) hits++;
            }
        }
        return new double[] {loss, units, hits};
    }

    @Test
    void everyChunkLengthGivesTheFullPassResult() {
        for (boolean sparse : new boolean[] {true, false}) {
            MultiLayerNetwork net = lm(sparse);
            DataSet ds = batch(sparse);
            double[] expected = fullPass(net, ds, sparse);
            assertEquals(13 - 1 + 9 - 1 + 13 - 1 + 4 - 1, expected[1], "target tokens");
            for (int chunk : new int[] {1, 2, 5, 12, 100}) {
                double[] got = DistributedEvaluator.chunkedSequenceScore(net, ds, chunk);
                String what = (sparse ? "sparse" : "one-hot") + " labels, chunk " + chunk;
                assertEquals(expected[0], got[0], 1e-4 * Math.abs(expected[0]), what + ": loss sum");
                assertEquals(expected[1], got[1], what + ": units");
                assertEquals(expected[2], got[2], what + ": hits");
                assertEquals(4, got[3], what + ": examples");
            }
            // and score() (what the executors call) picks the chunked path with the same result
            assertEquals(expected[0], DistributedEvaluator.score(net, ds)[0], 1e-4 * Math.abs(expected[0]));
        }
    }

    @Test
    void chunksKeepTheOutputWithinTheBudget() {
        int chunk = DistributedEvaluator.chunkSteps(16, 33_278);   // WikiText-2 evaluation minibatch
        assertTrue(chunk >= 1 && (long) chunk * 16 * 33_278 <= DistributedEvaluator.OUTPUT_BUDGET, "chunk " + chunk);
        assertTrue(chunk > 32, "chunks are not needlessly short: " + chunk);
        assertEquals(1, DistributedEvaluator.chunkSteps(4096, 1_000_000));
    }
}
