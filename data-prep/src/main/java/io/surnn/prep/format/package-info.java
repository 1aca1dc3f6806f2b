/**
 * The dataset directory contract shared with the driver: {@link io.surnn.prep.format.DatasetFormat}
 * (layout, columns, kinds), {@link io.surnn.prep.format.DatasetManifest} (manifest.json),
 * {@link io.surnn.prep.format.DatasetSchemas} (Spark schemas per kind) and
 * {@link io.surnn.prep.format.DatasetDirectory} (open, verify, load). {@link io.surnn.prep.format.HadoopSettings}
 * builds the Hadoop configuration both modules use outside Spark's jobs. User documentation:
 * docs/dataset-format.md.
 */
package io.surnn.prep.format;
