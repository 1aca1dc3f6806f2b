package io.surnn.driver.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RoundingTest {
    @Test
    void eachNumberKeepsTheDigitsItMeans() {
        assertEquals(634.2, Rounding.round("throughput", 634.1616860648003));
        assertEquals(12.1, Rounding.round("wall_time_s", 12.145960293));
        assertEquals(0.4123, Rounding.round("test_accuracy", 0.41234567));
        assertEquals(123.46, Rounding.round("val_perplexity", 123.456789));
        assertEquals(2.3026, Rounding.round("loss", 2.302585093));
        assertEquals(1.2346e-5, Rounding.round("val_loss", 1.23456789e-5), 1e-12);   // small losses keep their digits
        assertEquals(3.16e-4, Rounding.round("lr", 3.16227766e-4), 1e-12);
        assertEquals(0.17, Rounding.round("update_rate", 0.170000001));
        assertEquals(Double.NEGATIVE_INFINITY, Rounding.round("loss", Double.NEGATIVE_INFINITY));
    }
}
