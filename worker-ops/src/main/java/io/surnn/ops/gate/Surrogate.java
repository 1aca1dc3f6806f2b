package io.surnn.ops.gate;

import org.nd4j.shade.jackson.annotation.JsonCreator;

import java.util.Arrays;
import java.util.Locale;

/**
 * Pseudo-derivatives {@code s(a)} that replace {@code dH/da} in the straight-through estimator, each
 * with a width {@code w > 0}. All integrate to 1 over the real line (except the truncation of
 * {@link #SIGMOID}), so the width only trades locality for signal, not the gradient's total mass.
 *
 * <p>The backward pass only needs the cell's candidate for a closed neuron when {@code s(a) != 0}, so the
 * support radius ({@link #supportRadius(double)}) decides how many closed rows a training step touches.
 * {@link #SIGMOID} has unbounded support; we truncate it at {@code |a| < 6w} (where the derivative has
 * fallen to under 1% of its peak) in BOTH the sparse and the dense path, so the two agree exactly.
 */
public enum Surrogate {
    /** {@code s(a) = 1/(2w)} on {@code |a| < w}, else 0. */
    BOXCAR,
    /** {@code s(a) = max(0, 1 - |a|/w) / w}. The default (see docs/layers.md). */
    TRIANGLE,
    /** {@code s(a) = d/da sigmoid(a/w) = sigmoid(a/w)(1 - sigmoid(a/w))/w}, truncated at {@code |a| < 6w}. */
    SIGMOID;

    /** Truncation radius of {@link #SIGMOID}, in units of w. */
    public static final double SIGMOID_CUTOFF = 6.0;

    /** s(a) for width w (0 outside the support radius). */
    public double derivative(double a, double w) {
        double abs = Math.abs(a);
        switch (this) {
            case BOXCAR:
                return abs < w ? 0.5 / w : 0.0;
            case TRIANGLE:
                return abs < w ? (1.0 - abs / w) / w : 0.0;
            case SIGMOID:
                if (abs >= SIGMOID_CUTOFF * w) {
                    return 0.0;
                }
                double s = 1.0 / (1.0 + Math.exp(-a / w));
                return s * (1.0 - s) / w;
            default:
                throw new IllegalStateException("unreachable: " + this);
        }
    }

    /** Half-width of the region where {@link #derivative} can be non-zero. */
    public double supportRadius(double w) {
        return this == SIGMOID ? SIGMOID_CUTOFF * w : w;
    }

    /** JSON / text parsing with a clear error naming the field and the value. Case-insensitive. */
    @JsonCreator
    public static Surrogate parse(String value) {
        if (value != null) {
            for (Surrogate s : values()) {
                if (s.name().equalsIgnoreCase(value.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("surrogate: unknown value '" + value + "' (expected one of "
                + Arrays.toString(values()).toLowerCase(Locale.ROOT) + ")");
    }
}
