/**
 * {@code surnn experiment}: the side-by-side comparisons of docs/results.md. An
 * {@link io.surnn.driver.experiment.ExperimentSpec} (a file of conf/experiments) names arms (run-config
 * overrides) and seeds; the {@link io.surnn.driver.experiment.ExperimentRunner} sizes every arm to one
 * parameter count ({@link io.surnn.driver.experiment.ArmSizer}), runs each arm × seed (ordinary training
 * runs with a wall-clock budget, or the in-memory delayed recall, gradient-path and inference
 * measurements) and writes the rows and tables ({@link io.surnn.driver.experiment.Results}).
 *
 * <p>Design note: the runner drives the same {@code TrainingRun} as {@code surnn train}, one run directory
 * per arm × seed, rather than a lighter in-process loop: the numbers in the tables are then exactly what a
 * user's own run with that config would report, and every run keeps its report.html and checkpoints.
 */
package io.surnn.driver.experiment;
