package io.surnn.ops.gate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GateInitTest {

    private static GateSchedule initAndSchedule(int h, int k, double p0, long seed, int steps) {
        INDArray gb = Nd4j.create(DataType.DOUBLE, 1, h);
        INDArray ga = Nd4j.create(DataType.DOUBLE, h, k);
        INDArray gp = Nd4j.create(DataType.DOUBLE, h, k);
        INDArray go = Nd4j.create(DataType.DOUBLE, 1, k);
        GateInit.initialise(h, k, p0, seed, gb, ga, gp, go);
        return GateSchedule.compute(GateMode.RHYTHMIC, Surrogate.TRIANGLE, 0.3, gb.toDoubleVector(),
                ga.dup('c').data().asDouble(), gp.dup('c').data().asDouble(), go.toDoubleVector(), 0, steps,
                false, true);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.05, 0.17, 0.5, 0.9, 1.0})
    void measuredInitialUpdateRateIsCloseToTarget(double p0) {
        GateSchedule s = initAndSchedule(128, 4, p0, 99, 8192);
        assertEquals(p0, s.updateRate, 0.02, "measured initial rate over 8192 steps");
    }

    @Test
    void everyNeuronUpdatesNearTheTargetRateWithSingleHarmonic() {
        GateSchedule s = initAndSchedule(32, 1, 0.25, 5, 4096);
        for (int i = 0; i < 32; i++) {
            int open = 0;
            for (int t = 0; t < 4096; t++) {
                open += s.g[t * 32 + i] > 0 ? 1 : 0;
            }
            assertEquals(0.25, open / 4096.0, 0.04, "neuron " + i);
        }
    }

    @Test
    void frequenciesSpanSeveralTimeScales() {
        double[] w = GateInit.omegas(4);
        assertEquals(GateInit.MIN_PERIOD, 2 * Math.PI / w[0], 1e-9);
        assertEquals(GateInit.MAX_PERIOD, 2 * Math.PI / w[3], 1e-6);
        for (int k = 1; k < 4; k++) {
            assertTrue(w[k] < w[k - 1], "periods grow with k");
        }
    }

    @Test
    void sameSeedGivesSameGate() {
        GateSchedule a = initAndSchedule(16, 3, 0.3, 42, 256);
        GateSchedule b = initAndSchedule(16, 3, 0.3, 42, 256);
        GateSchedule c = initAndSchedule(16, 3, 0.3, 43, 256);
        assertTrue(java.util.Arrays.equals(a.g, b.g));
        assertTrue(!java.util.Arrays.equals(a.g, c.g));
    }

    @Test
    void rejectsRateOutsideUnitInterval() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> initAndSchedule(4, 2, 0.0, 1, 10));
        assertTrue(e.getMessage().contains("initialUpdateRate") && e.getMessage().contains("0.0"), e.getMessage());
    }
}
