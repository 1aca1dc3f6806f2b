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
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Parameters of the builders' su-layer networks travel through .npz unchanged. */
class BuiltModelNpzTest {

    @TempDir Path dir;

    private static INDArray ids(int b, int t, int vocab, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, b, t).muli(vocab - 0.01).castTo(DataType.INT32).castTo(DataType.FLOAT);
    }

    private static DualEncoderBuilder dual(long seed) {
        return new DualEncoderBuilder().vocabSize(9).embeddingSize(4).hiddenSize(6).layers(2).mlpSize(5).seed(seed);
    }

    @Test
    void dualEncoderNpzRoundTripIsBitwiseIncludingGateParameters() throws Exception {
        ComputationGraph a = dual(1).buildNetwork();
        ComputationGraph b = dual(2).buildNetwork();
        Path f = dir.resolve("dual.npz");
        NpzParams.save(a, f);
        Map<String, INDArray> arrays = NpzParams.readArrays(f);
        assertTrue(arrays.containsKey("layer2_rnn1/gomega"), "names: " + arrays.keySet());
        NpzParams.load(f, b);
        assertArrayEquals(a.params().data().asFloat(), b.params().data().asFloat());
        INDArray pair = DualEncoderBuilder.stackPair(ids(3, 7, 9, 4), ids(3, 7, 9, 5));
        assertEquals(a.outputSingle(pair), b.outputSingle(pair));
    }
}
