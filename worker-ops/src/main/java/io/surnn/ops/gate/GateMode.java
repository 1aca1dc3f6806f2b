package io.surnn.ops.gate;

import org.nd4j.shade.jackson.annotation.JsonCreator;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a su-layer's per-neuron switch {@code g_{t,i}} is formed from the gate pre-activation
 * {@code a_{t,i}}.
 */
public enum GateMode {
    /** {@code g = H(a)} with learnable rhythm; straight-through surrogate gradient. The default. */
    RHYTHMIC,
    /** {@code g = H(a)} with the random rhythm drawn at init and frozen: gate params get zero gradient. */
    FIXED,
    /** {@code g = sigmoid(a)} (a soft gate, no exact carry), exact gradient. */
    SOFT,
    /** {@code g = 1} for every neuron and step: the plain cell (gate params unused, zero gradient). */
    DENSE;

    /** True when the gate parameters receive a gradient in this mode. */
    public boolean trainsGate() {
        return this == RHYTHMIC || this == SOFT;
    }

    /**
     * JSON / text parsing with a clear error: {@code IllegalArgumentException("gateMode: unknown value
     * 'X' (expected one of [...])")}. Case-insensitive.
     */
    @JsonCreator
    public static GateMode parse(String value) {
        if (value != null) {
            for (GateMode m : values()) {
                if (m.name().equalsIgnoreCase(value.trim())) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("gateMode: unknown value '" + value + "' (expected one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
    }
}
