package io.surnn.ops.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surnn.ops.layers.CellType;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Every su-layer's rate is found, the one DL4J wraps for a LAST readout included. */
class UpdateRatesTest {
    private static final int B = 3, T = 10, H = 8;

    private static INDArray mask() {
        INDArray mask = Nd4j.ones(DataType.FLOAT, B, T);
        mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(6, T)).assign(0); // example 1 has 6 real steps
        return mask;
    }

    @Test
    void lastReadoutClassifierReportsTheWrappedLastLayerToo() {
        MultiLayerNetwork net = new SequenceClassifierBuilder().inputSize(2).hiddenSize(H).layers(2).numClasses(3)
                .readout(Readout.LAST).initialUpdateRate(0.4).seed(5).buildNetwork();
        assertInstanceOf(BaseWrapperLayer.class, net.getLayer(1), "LAST wraps the last su-layer (LastTimeStep)");
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, B, 2, T);

        double[] measured = UpdateRates.measure(net, x, mask());
        assertEquals(2, measured.length, "one rate per su-layer, the wrapped one included");
        for (double r : measured) {
            assertTrue(r > 0 && r <= 1, "rate " + r);
        }
        assertEquals(List.of("rnn0", "rnn1"), List.copyOf(UpdateRates.of(net).keySet()));

        net.output(x, false, mask(), null); // a full forward pass measures the same rates
        assertArrayEquals(UpdateRates.values(net), measured, 0);
    }

    @Test
    void lastReadoutDualEncoderReportsBothLayers() {
        ComputationGraph net = new DualEncoderBuilder().cell(CellType.SUGRU).inputSize(2).hiddenSize(H).layers(2)
                .mlpSize(4).readout(Readout.LAST).seed(6).buildNetwork();
        Nd4j.getRandom().setSeed(4);
        INDArray pair = DualEncoderBuilder.stackPair(Nd4j.rand(DataType.FLOAT, B, 2, T), Nd4j.rand(DataType.FLOAT, B, 2, T));
        double[] measured = UpdateRates.measure(net, pair, DualEncoderBuilder.stackPair(mask(), mask()));
        assertEquals(2, measured.length);
        assertEquals(List.of("rnn0", "rnn1"), List.copyOf(UpdateRates.of(net).keySet()));
    }

    @Test
    void lstmBaselineHasNoRates() {
        MultiLayerNetwork net = new SequenceClassifierBuilder().cell(CellType.LSTM).inputSize(2).hiddenSize(H)
                .numClasses(3).readout(Readout.LAST).buildNetwork();
        assertEquals(0, UpdateRates.measure(net, Nd4j.rand(DataType.FLOAT, B, 2, T), mask()).length);
        assertEquals("-", UpdateRates.format(net));
    }
}
