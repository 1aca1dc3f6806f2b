/**
 * Generated long-range tasks that need no files: {@link io.surnn.ops.data.DelayedRecall} (remember one
 * symbol across a long silent gap). Used by {@code surnn demo}, the benchmark and the learning tests.
 */
package io.surnn.ops.data;
