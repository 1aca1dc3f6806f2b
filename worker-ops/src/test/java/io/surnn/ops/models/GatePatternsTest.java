package io.surnn.ops.models;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.GateSchedule;
import io.surnn.ops.layers.SuRecurrentLayer;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatePatternsTest {

    @Test
    void everySuLayerIncludingTheWrappedLastOneSortedByRate() {
        MultiLayerNetwork net = new SequenceClassifierBuilder().inputSize(2).hiddenSize(16).layers(2).numClasses(3)
                .readout(Readout.LAST).initialUpdateRate(0.3).seed(4).buildNetwork();
        Map<String, GatePatterns.Pattern> p = GatePatterns.of(net, 40);
        assertEquals(List.of("rnn0", "rnn1"), List.copyOf(p.keySet()));      // rnn1 sits inside LastTimeStep
        assertTrue(net.getLayer(1) instanceof BaseWrapperLayer);
        for (GatePatterns.Pattern g : p.values()) {
            assertEquals(16, g.hidden());
            assertEquals(40, g.steps());
            for (int r = 1; r < 16; r++) {
                assertTrue(g.rates()[r - 1] >= g.rates()[r], "rates descend");
            }
            for (int r = 0; r < 16; r++) {
                int open = 0;
                for (boolean b : g.open()[r]) open += b ? 1 : 0;
                assertEquals(open / 40.0, g.rates()[r], 1e-12, "a row's rate is its share of open steps");
            }
            assertTrue(g.meanRate() > 0.05 && g.meanRate() < 0.7, "initial rate near 0.3: " + g.meanRate());
        }
        // The picture is the layer's own schedule, rows permuted.
        SuRecurrentLayer rnn0 = (SuRecurrentLayer) net.getLayer(0);
        GateSchedule s = rnn0.gateSchedule(0, 40);
        GatePatterns.Pattern g0 = p.get("rnn0");
        for (int r = 0; r < 16; r++) {
            boolean[] want = new boolean[40];
            for (int t = 0; t < 40; t++) want[t] = s.g[t * 16 + g0.neuron()[r]] > 0;
            assertArrayEquals(want, g0.open()[r]);
        }
    }

    @Test
    void aDenseGateIsOpenEverywhere() {
        MultiLayerNetwork net = new SequenceClassifierBuilder().inputSize(2).hiddenSize(8).numClasses(3)
                .gateMode(GateMode.DENSE).seed(1).buildNetwork();
        GatePatterns.Pattern g = GatePatterns.of(net, 10).get("rnn0");
        assertEquals(1.0, g.meanRate(), 1e-12);
    }
}
