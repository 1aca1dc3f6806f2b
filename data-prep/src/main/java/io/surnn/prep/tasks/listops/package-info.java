/** {@code surnn prep listops}: the LRA ListOps generator and TSV reader/writer (kind CLASSIFICATION). */
package io.surnn.prep.tasks.listops;
