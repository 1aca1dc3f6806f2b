package io.surnn.ops.gate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SurrogateTest {

    @ParameterizedTest
    @EnumSource(Surrogate.class)
    void surrogateIntegratesToAboutOneAndVanishesOutsideItsSupport(Surrogate s) {
        double w = 0.37;
        double r = s.supportRadius(w);
        double sum = 0;
        double dx = 1e-5;
        for (double a = -2 * r; a < 2 * r; a += dx) {
            sum += s.derivative(a, w) * dx;
        }
        assertEquals(1.0, sum, s == Surrogate.SIGMOID ? 0.01 : 1e-3, "integral of s over the line");
        assertEquals(0.0, s.derivative(r * 1.0001, w));
        assertEquals(0.0, s.derivative(-r * 1.0001, w));
        assertTrue(s.derivative(0, w) > 0);
    }

    @Test
    void triangleHasPeakOneOverWidth() {
        assertEquals(1 / 0.5, Surrogate.TRIANGLE.derivative(0, 0.5), 1e-12);
        assertEquals(0.5 / 0.5, Surrogate.TRIANGLE.derivative(0.25, 0.5), 1e-12);
    }

    @Test
    void parsingNamesTheFieldAndTheValue() {
        assertEquals(GateMode.SOFT, GateMode.parse("soft"));
        assertEquals(Surrogate.BOXCAR, Surrogate.parse("BOXCAR"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GateMode.parse("spiky"));
        assertTrue(e.getMessage().contains("gateMode") && e.getMessage().contains("spiky"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Surrogate.parse("gauss"));
        assertTrue(e.getMessage().contains("surrogate") && e.getMessage().contains("gauss"), e.getMessage());
    }
}
