package io.surnn.ops.layers;

import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every cell runs inference and one training step inside a MultiLayerNetwork and reports a partial update rate. */
class SuLayerSmokeTest {
    @Test
    void outputAndFitRunForEveryCell() {
        for (CellType cell : CellType.values()) {
            MultiLayerNetwork net = SuNets.net(cell, 3, 8, 2, DataType.FLOAT, b -> b);
            INDArray x = SuNets.randn(DataType.FLOAT, 1, 4, 3, 20);
            INDArray y = SuNets.randn(DataType.FLOAT, 2, 4, 2, 20);
            INDArray out = net.output(x);
            assertArrayEquals(new long[]{4, 2, 20}, out.shape());
            net.fit(x, y);
            double rate = ((UpdateRateAware) net.getLayer(0)).lastUpdateRate();
            assertTrue(rate > 0 && rate < 1, cell + " rate " + rate);
        }
    }
}
