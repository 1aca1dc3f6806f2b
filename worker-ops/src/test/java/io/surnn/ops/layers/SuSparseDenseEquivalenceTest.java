package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The mask-aware sparse path and the dense reference path (all rows computed, then selected) give the
 * same outputs and the same gradients for every parameter, including the gate's STE gradient, at
 * update rates 0, ~0.17, 0.5 and 1 (float network, float tolerance).
 */
class SuSparseDenseEquivalenceTest {

    static Stream<Arguments> cases() {
        return Arrays.stream(CellType.selective())
                .flatMap(c -> Stream.of(0.0, 0.17, 0.5, 1.0).map(r -> Arguments.of(c, r)));
    }

    @ParameterizedTest(name = "{0} rate {1}")
    @MethodSource("cases")
    void sparsePathEqualsDensePath(CellType cell, double rate) {
        double p0 = rate == 0.0 ? 0.5 : rate;
        MultiLayerNetwork sparse = SuNets.net(cell, 5, 24, 3, DataType.FLOAT,
                b -> b.gateMode(GateMode.RHYTHMIC).initialUpdateRate(p0).gateSeed(3).sparse(true));
        MultiLayerNetwork dense = SuNets.net(cell, 5, 24, 3, DataType.FLOAT,
                b -> b.gateMode(GateMode.RHYTHMIC).initialUpdateRate(p0).gateSeed(3).sparse(false));
        if (rate == 0.0) {
            SuNets.setGateOffsets(sparse.getLayer(0), -10); // every neuron closed at every step
        }
        dense.setParams(sparse.params());
        int steps = 64;
        INDArray x = SuNets.randn(DataType.FLOAT, 21, 4, 5, steps);
        INDArray y = SuNets.randn(DataType.FLOAT, 22, 4, 3, steps);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 4, steps);
        mask.get(org.nd4j.linalg.indexing.NDArrayIndex.point(2),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(40, steps)).assign(0);

        INDArray outS = sparse.output(x, false, mask, null);
        INDArray outD = dense.output(x, false, mask, null);
        assertClose("output", outD, outS);
        double measured = ((UpdateRateAware) sparse.getLayer(0)).lastUpdateRate();
        assertEquals(rate, measured, rate == 0.0 || rate == 1.0 ? 0.0 : 0.08, "measured update rate");

        for (MultiLayerNetwork n : new MultiLayerNetwork[]{sparse, dense}) {
            n.setInput(x);
            n.setLabels(y);
            n.setLayerMaskArrays(mask, mask);
            n.computeGradientAndScore();
        }
        assertEquals(dense.score(), sparse.score(), 1e-5 * Math.abs(dense.score()), "score");
        for (String key : sparse.gradient().gradientForVariable().keySet()) {
            assertClose("gradient " + key, dense.gradient().getGradientFor(key),
                    sparse.gradient().getGradientFor(key));
        }
        if (rate > 0 && rate < 1) {
            assertTrue(sparse.gradient().getGradientFor("0_gb").amaxNumber().doubleValue() > 0,
                    "the STE reaches the gate offsets");
        }
    }

    private static void assertClose(String what, INDArray expected, INDArray actual) {
        assertEquals(Arrays.toString(expected.shape()), Arrays.toString(actual.shape()), what + " shape");
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-5 * scale, what + ": max |dense - sparse| = " + diff + " (scale " + scale + ")");
    }
}
