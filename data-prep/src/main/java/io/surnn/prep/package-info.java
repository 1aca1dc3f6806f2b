/**
 * suRNN data preparation: Spark jobs that turn corpora into dataset directories
 * ({@link io.surnn.prep.format}). {@link io.surnn.prep.PrepMain} is the {@code surnn prep} command;
 * {@link io.surnn.prep.core} holds the framework every task uses; {@code io.surnn.prep.tasks.*} one
 * package per task.
 */
package io.surnn.prep;
