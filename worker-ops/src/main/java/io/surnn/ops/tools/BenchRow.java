package io.surnn.ops.tools;

/**
 * One benchmark measurement. {@code update_rate} is the rate the layer measured (lastUpdateRate), not
 * the requested one ({@code target_rate}); {@code tokens_per_s} = batch · steps / median seconds.
 */
public record BenchRow(String cell, String gate, String path, int hidden, int batch, int steps,
        double target_rate, double update_rate, String phase, double tokens_per_s, double median_ms, int repeats) {
}
