/**
 * The dataset directory contract shared with the driver: {@link io.surnn.prep.format.DatasetFormat}
 * (layout, columns, kinds), {@link io.surnn.prep.format.DatasetManifest} (manifest.json),
 * {@link io.surnn.prep.format.DatasetSchemas} (Spark schemas per kind) and
 * {@link io.surnn.prep.format.DatasetDirectory} (open, verify, load). User documentation:
 * docs/dataset-format.md.
 */
package io.surnn.prep.format;
