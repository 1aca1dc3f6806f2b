package io.surnn.ops.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Parameters and updater state of the builders' su-layer networks travel through ModelSerializer
 * unchanged (the .npz round trip of the same networks is tested with the driver's export).
 */
class BuiltModelPersistenceTest {

    @TempDir Path dir;

    private static INDArray ids(int b, int t, int vocab, long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, b, t).muli(vocab - 0.01).castTo(DataType.INT32).castTo(DataType.FLOAT);
    }

    private static DualEncoderBuilder dual(long seed) {
        return new DualEncoderBuilder().vocabSize(9).embeddingSize(4).hiddenSize(6).layers(2).mlpSize(5).seed(seed);
    }

    @Test
    void languageModelSurvivesModelSerializerWithUpdaterState() throws Exception {
        MultiLayerNetwork a = new LanguageModelBuilder().vocabSize(9).embeddingSize(4).hiddenSize(6).layers(1).dropout(0.0)
                .seed(3).buildNetwork();
        INDArray x = ids(2, 5, 9, 6);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 2, 9, 5);
        for (int i = 0; i < 2; i++) for (int t = 0; t < 5; t++) y.putScalar(new long[] {i, (i + t) % 9, t}, 1f);
        for (int i = 0; i < 3; i++) a.fit(x, y);
        Path f = dir.resolve("lm.zip");
        ModelSerializer.writeModel(a, f.toFile(), true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(f.toFile(), true);
        assertEquals(a.getLayerWiseConfigurations(), b.getLayerWiseConfigurations());
        assertEquals(a.params(), b.params());
        assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray());
        a.fit(x, y);
        b.fit(x, y);
        assertEquals(a.params(), b.params());
    }

    @Test
    void dualEncoderSurvivesModelSerializerWithUpdaterState() throws Exception {
        ComputationGraph a = dual(7).buildNetwork();
        INDArray pair = DualEncoderBuilder.stackPair(ids(2, 6, 9, 8), ids(2, 6, 9, 9));
        INDArray labels = Nd4j.createFromArray(new float[][] {{1, 0}, {0, 1}});
        a.fit(new INDArray[] {pair}, new INDArray[] {labels});
        Path f = dir.resolve("dual.zip");
        ModelSerializer.writeModel(a, f.toFile(), true);
        ComputationGraph b = ModelSerializer.restoreComputationGraph(f.toFile(), true);
        assertEquals(a.getConfiguration(), b.getConfiguration());
        assertEquals(a.params(), b.params());
        assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray());
        assertEquals(a.outputSingle(pair), b.outputSingle(pair));
    }
}
