package io.surnn.driver.experiment;

import io.surnn.driver.config.RunConfig;
import io.surnn.driver.train.ModelFactory;
import io.surnn.prep.format.DatasetManifest;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Sizes an arm to a parameter count by its width alone: the {@code model.hidden} whose network (built
 * as the run would build it, {@link ModelFactory#parameterCount}) has the count closest to the target.
 * The count grows with the width, so a bisection over [1, {@value #MAX_HIDDEN}] finds it in a dozen
 * configurations. A width that cannot come within {@value #TOLERANCE} of the target (relative) is
 * refused: the comparison would not be at equal parameters.
 */
final class ArmSizer {
    static final int MAX_HIDDEN = 8192;
    static final double TOLERANCE = 0.05;

    /** The chosen width and its parameter count. */
    record Size(int hidden, long params) {
        double deviation(long target) {
            return (params - target) / (double) target;
        }
    }

    private ArmSizer() {}

    /**
     * @param configAt the arm's run config with {@code model.hidden} set to the argument
     * @param what     the arm, for the error message
     */
    static Size size(IntFunction<RunConfig> configAt, DatasetManifest m, long target, String what) {
        Map<Integer, Long> seen = new HashMap<>();
        IntFunction<Long> count = h -> seen.computeIfAbsent(h, k -> ModelFactory.parameterCount(configAt.apply(k), m));
        if (count.apply(MAX_HIDDEN) < target) {
            throw new IllegalArgumentException(what + ": even model.hidden = " + MAX_HIDDEN + " has fewer than the target "
                    + target + " parameters");
        }
        int lo = 1;
        int hi = MAX_HIDDEN;      // invariant: count(hi) >= target
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (count.apply(mid) >= target) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        Size best = new Size(hi, count.apply(hi));
        if (hi > 1) {
            Size below = new Size(hi - 1, count.apply(hi - 1));
            if (Math.abs(below.params() - target) < Math.abs(best.params() - target)) {
                best = below;
            }
        }
        if (Math.abs(best.deviation(target)) > TOLERANCE) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "%s: no model.hidden gives a parameter count within ±%.0f%% of the target %d (closest: hidden %d, %d parameters, %+.1f%%); "
                            + "change target-params or the arm's other sizes", what, TOLERANCE * 100, target, best.hidden(),
                    best.params(), 100 * best.deviation(target)));
        }
        return best;
    }
}
