/**
 * {@code surnn prep aan} (LRA Retrieval): byte-level pairs from {@code new_aan_pairs.*.tsv}, kind PAIR.
 * {@link io.surnn.prep.tasks.aan.AanRow} parses one TSV line; {@link io.surnn.prep.tasks.aan.AanCommand}
 * streams each file in one task, with line numbers for bad rows.
 */
package io.surnn.prep.tasks.aan;
