/**
 * Checkpoints on any Hadoop file system: parameters with updater state, training counters, seeds,
 * the resolved config and the dataset's manifest checksum, one directory per checkpoint, written
 * atomically and verified by checksum on load.
 *
 * <p>Entry points: {@link io.surnn.driver.checkpoint.CheckpointStore} (save, prune, find the newest
 * valid one), {@link io.surnn.driver.checkpoint.Checkpoint} (restore the model, check compatibility),
 * {@link io.surnn.driver.checkpoint.ManifestChecksum} (the dataset's identity).
 */
package io.surnn.driver.checkpoint;
