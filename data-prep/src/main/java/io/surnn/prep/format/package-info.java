/**
 * The dataset directory contract shared with the driver: {@link io.surnn.prep.format.DatasetFormat}
 * (layout, columns, kinds), {@link io.surnn.prep.format.DatasetManifest} (manifest.json),
 * {@link io.surnn.prep.format.DatasetSchemas} (Spark schemas per kind) and
 * {@link io.surnn.prep.format.DatasetDirectory} (open, verify, load). {@link io.surnn.prep.format.HadoopSettings}
 * builds the Hadoop configuration both modules use outside Spark's jobs. User documentation:
 * docs/dataset-format.md.
 *
 * <p>Also here, because both modules use them: {@link io.surnn.prep.format.ContiguousPartitioner}
 * (contiguous key ranges per partition: the shard rule of the format, and the driver's minibatch
 * layout) and {@link io.surnn.prep.format.Npy} (NumPy {@code .npy} files: Pathfinder's metadata, and
 * the arrays of the driver's {@code .npz} parameter export).
 */
package io.surnn.prep.format;
