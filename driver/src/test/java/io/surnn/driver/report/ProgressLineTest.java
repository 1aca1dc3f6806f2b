package io.surnn.driver.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProgressLineTest {
    @Test
    void formatsEpochStepLossThroughputEtaAndUpdateRates() {
        assertEquals("epoch 1/2  step 120/400  loss 1.8342  lr 8.0e-04  1.23k ex/s  ETA 3m20s  update rate 0.21 0.18",
                ProgressLine.format(0, 2, 120, 400, 1.83417, 8e-4, 1234, "ex/s", List.of(0.21, 0.18), 200));
        assertEquals("epoch 3/3  step 7/?  loss 5.0000  lr 1.0e-03  950 tok/s  ETA ?",
                ProgressLine.format(2, 3, 7, -1, 5, 1e-3, 950, "tok/s", List.of(), -1));
    }

    @Test
    void etaExtrapolatesTheMeanPaceSinceTheStartStep() {
        ProgressLine p = new ProgressLine(100, 0);
        assertEquals(300, p.etaSeconds(150, 300, 100.0), "50 steps in 100 s, 150 to go");
        assertEquals(-1, p.etaSeconds(100, 300, 5.0), "no step done yet");
        assertEquals(-1, p.etaSeconds(150, -1, 5.0), "unknown total");
    }

    @Test
    void durationsAndRatesAreCompact() {
        assertEquals("42s", ProgressLine.duration(42));
        assertEquals("1h02m", ProgressLine.duration(3725));
        assertEquals("4.50M", ProgressLine.si(4.5e6));
    }
}
