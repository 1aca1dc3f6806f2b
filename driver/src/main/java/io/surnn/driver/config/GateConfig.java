package io.surnn.driver.config;

/**
 * {@code surnn.model.gate}: the rhythmic update gate of the suRNN layers (docs/method.md §2).
 * Constant names match worker-ops' {@code io.surnn.ops.gate.GateMode} and {@code Surrogate}, so
 * {@code GateMode.valueOf(gate.mode().name())} maps them.
 */
public record GateConfig(Mode mode, int harmonics, Surrogate surrogate, double width,
                         double initialUpdateRate) {

    /** rhythmic (learned), fixed (random rhythm frozen at init), soft (sigmoid), dense (always open). */
    public enum Mode implements ConfigEnum { RHYTHMIC, FIXED, SOFT, DENSE }

    /** Straight-through derivative used in place of the Heaviside step's. */
    public enum Surrogate implements ConfigEnum { BOXCAR, TRIANGLE, SIGMOID }
}
