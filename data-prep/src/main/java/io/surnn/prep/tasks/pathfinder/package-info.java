/**
 * {@code surnn prep pathfinder} (LRA Pathfinder-32): the image generator ({@link
 * io.surnn.prep.tasks.pathfinder.PathfinderGenerator}, settings in {@link
 * io.surnn.prep.tasks.pathfinder.PathfinderParams}, drawing in {@code StrokeRaster}), sample PNGs
 * ({@link io.surnn.prep.tasks.pathfinder.PathfinderSamples}) and the reader of the official layout,
 * whose metadata is NumPy {@code .npy} (read with {@link io.surnn.prep.format.Npy}).
 */
package io.surnn.prep.tasks.pathfinder;
