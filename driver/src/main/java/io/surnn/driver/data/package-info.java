/**
 * Dataset directory → RDDs of DL4J minibatches.
 *
 * <p>{@link io.surnn.driver.data.SplitReader} opens a directory written by data-prep (manifest and
 * shard checksums are verified before anything trains), reads one split as {@link
 * io.surnn.driver.data.Record}s in {@code index} order; {@link io.surnn.driver.data.Minibatches}
 * turns a list of records into one {@code DataSet} per dataset kind; {@link
 * io.surnn.driver.data.BatchedSplit} groups a split into numbered minibatches, caches them, and
 * hands out one averaging round at a time with a fixed worker layout.
 */
package io.surnn.driver.data;
