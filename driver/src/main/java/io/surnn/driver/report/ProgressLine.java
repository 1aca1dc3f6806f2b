package io.surnn.driver.report;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The console progress line, e.g.
 * {@code epoch 1/2  step 120/400  loss 1.8342  lr 8.0e-04  1.23k ex/s  ETA 3m20s  update rate 0.21 0.18}.
 * ETA comes from the mean time per step so far; unknown totals (-1) print as "?".
 */
public final class ProgressLine {
    private final long startNanos;
    private final long firstStep;

    /** Starts the clock; {@code firstStep} is the step training starts (or resumes) from. */
    public ProgressLine(long firstStep) {
        this(firstStep, System.nanoTime());
    }

    ProgressLine(long firstStep, long startNanos) {
        this.firstStep = firstStep;
        this.startNanos = startNanos;
    }

    /** The line for the current state, with the ETA measured against the wall clock. */
    public String line(int epoch, int epochs, long step, long totalSteps, double loss, double lr,
                       double throughput, String unit, List<Double> updateRates) {
        return format(epoch, epochs, step, totalSteps, loss, lr, throughput, unit, updateRates,
                etaSeconds(step, totalSteps, (System.nanoTime() - startNanos) / 1e9));
    }

    /** Seconds left at the mean pace since the start, or -1 when unknown. */
    long etaSeconds(long step, long totalSteps, double elapsedS) {
        long done = step - firstStep;
        if (totalSteps < 0 || done <= 0 || step > totalSteps) return -1;
        return Math.round(elapsedS / done * (totalSteps - step));
    }

    /** The line from explicit values; {@code epoch} is 0-based and printed 1-based. */
    public static String format(int epoch, int epochs, long step, long totalSteps, double loss, double lr,
                                double throughput, String unit, List<Double> updateRates, long etaSeconds) {
        StringBuilder b = new StringBuilder();
        b.append("epoch ").append(epoch + 1).append('/').append(epochs)
                .append("  step ").append(step).append('/').append(totalSteps < 0 ? "?" : String.valueOf(totalSteps))
                .append("  loss ").append(String.format(Locale.ROOT, "%.4f", loss))
                .append("  lr ").append(String.format(Locale.ROOT, "%.1e", lr))
                .append("  ").append(si(throughput)).append(' ').append(unit)
                .append("  ETA ").append(etaSeconds < 0 ? "?" : duration(etaSeconds));
        if (updateRates != null && !updateRates.isEmpty()) {
            b.append("  update rate ").append(updateRates.stream()
                    .map(r -> String.format(Locale.ROOT, "%.2f", r)).collect(Collectors.joining(" ")));
        }
        return b.toString();
    }

    /** 950 → "950", 1234 → "1.23k", 4.5e6 → "4.50M". */
    static String si(double v) {
        if (v >= 1e6) return String.format(Locale.ROOT, "%.2fM", v / 1e6);
        if (v >= 1e3) return String.format(Locale.ROOT, "%.2fk", v / 1e3);
        return String.format(Locale.ROOT, "%.0f", v);
    }

    /** 200 → "3m20s", 3725 → "1h02m", 42 → "42s". */
    static String duration(long s) {
        if (s >= 3600) return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return s + "s";
    }
}
