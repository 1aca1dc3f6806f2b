/**
 * Model-level command-line tools (no Spark), run by the launcher as {@code surnn demo} and {@code surnn bench}:
 * {@link io.surnn.driver.tools.OpsMain} (picocli entry point), {@link io.surnn.driver.tools.DemoCommand}
 * (train a small suGRU on delayed recall) and {@link io.surnn.driver.tools.BenchCommand} (tokens/s of the
 * sparse and dense su-layers and DL4J's LSTM, measured in the same run by {@link io.surnn.driver.tools.LayerBench},
 * the project's one layer timer).
 *
 * <p>Design note: these tools live in the driver so that worker-ops stays the pure model library (layers,
 * kernels, builders; no command line). They keep their own entry point rather than being subcommands of
 * {@code DriverMain}: their error policy is picocli's default (message plus usage) and they accept enum
 * values in any case, where DriverMain prints one line per error; folding them in would change what
 * {@code surnn demo} and {@code surnn bench} print.
 */
package io.surnn.driver.tools;
