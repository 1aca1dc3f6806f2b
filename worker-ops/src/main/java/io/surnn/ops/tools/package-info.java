/**
 * Command-line tools of worker-ops, run by the launcher as {@code surnn demo} and {@code surnn bench}:
 * {@link io.surnn.ops.tools.OpsMain} (picocli entry point), {@link io.surnn.ops.tools.DemoCommand}
 * (train a small suGRU on delayed recall) and {@link io.surnn.ops.tools.BenchCommand} (tokens/s of the
 * sparse and dense su-layers and DL4J's LSTM, measured in the same run by {@link io.surnn.ops.tools.LayerBench}).
 */
package io.surnn.ops.tools;
