package io.surnn.driver.config;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.Surrogate;

/**
 * {@code surnn.model.gate}: the rhythmic update gate of the suRNN layers (docs/layers.md). The mode
 * (rhythmic, fixed, soft, dense) and the straight-through surrogate (boxcar, triangle, sigmoid) are
 * worker-ops' own {@link GateMode} and {@link Surrogate}.
 */
public record GateConfig(GateMode mode, int harmonics, Surrogate surrogate, double width,
                         double initialUpdateRate) {
}
