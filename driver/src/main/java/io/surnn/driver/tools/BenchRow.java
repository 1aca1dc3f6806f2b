package io.surnn.driver.tools;

/**
 * One benchmark measurement. {@code update_rate} is the rate the layer measured (lastUpdateRate), not
 * the requested one ({@code target_rate}); {@code tokens_per_s} = batch · steps / median seconds.
 * {@code gflops} is the multiply-add work the row actually does per second (2 FLOP per multiply-add of
 * its matrix products; a sparse row counts update_rate of the dense work); {@code gemm_share} divides it
 * by the {@code gemm} row of the same cell, hidden size, batch and phase (ND4J's matrix multiply at that
 * dense layer's own shapes: the practical limit; 0 where there is none, e.g. DL4J's LSTM). {@code latency_ms} is the time per step for batch-1 streaming
 * rows (rnnTimeStep one step at a time), else 0.
 */
public record BenchRow(String cell, String gate, String path, int hidden, int batch, int steps,
        double target_rate, double update_rate, String phase, double tokens_per_s, double median_ms, int repeats,
        double gflops, double gemm_share, double latency_ms) {

    /** The same row with its share of a limit's GFLOP/s filled in. */
    BenchRow withShare(double limitGflops) {
        return new BenchRow(cell, gate, path, hidden, batch, steps, target_rate, update_rate, phase, tokens_per_s,
                median_ms, repeats, gflops, limitGflops > 0 ? gflops / limitGflops : 0, latency_ms);
    }
}
