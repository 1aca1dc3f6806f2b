package io.surnn.driver.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surnn.ops.models.DualEncoderBuilder;
import java.nio.file.Path;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameters of the builders' su-layer networks travel through .npz unchanged. */
class BuiltModelNpzTest {

    @TempDir Path dir;

    @Test
    void dualEncoderNpzRoundTripIsBitwiseIncludingGateParameters() throws Exception {
        DualEncoderBuilder builder = new DualEncoderBuilder().vocabSize(9).embeddingSize(4).hiddenSize(6).layers(2).mlpSize(5);
        ComputationGraph a = builder.seed(1).buildNetwork();
        ComputationGraph b = builder.seed(2).buildNetwork();
        Path f = dir.resolve("dual.npz");
        NpzParams.save(a, f);
        Map<String, INDArray> arrays = NpzParams.readArrays(f);
        assertTrue(arrays.containsKey("layer2_rnn1/gomega"), "names: " + arrays.keySet());
        NpzParams.load(f, b);
        assertArrayEquals(a.params().data().asFloat(), b.params().data().asFloat());
        // three pairs of token-id sequences of length 7 (ids < 9)
        INDArray left = Nd4j.createFromArray(new float[][] {{1, 4, 2, 8, 5, 7, 0}, {3, 3, 6, 1, 0, 2, 8}, {7, 5, 4, 6, 2, 1, 3}});
        INDArray right = Nd4j.createFromArray(new float[][] {{2, 6, 0, 1, 8, 4, 5}, {5, 1, 7, 3, 6, 0, 2}, {8, 2, 2, 4, 7, 3, 1}});
        INDArray pair = DualEncoderBuilder.stackPair(left, right);
        assertEquals(a.outputSingle(pair), b.outputSingle(pair));
    }
}
