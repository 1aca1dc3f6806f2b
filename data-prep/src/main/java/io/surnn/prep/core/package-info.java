/**
 * The prep framework: {@link io.surnn.prep.core.PrepCommand} (base class of a task, see its note on
 * how to write one), {@link io.surnn.prep.core.CommonOptions}, the atomic
 * {@link io.surnn.prep.core.DatasetWriter}, bad-record handling
 * ({@link io.surnn.prep.core.BadRecordException}, {@link io.surnn.prep.core.BadRecords}), progress
 * ({@link io.surnn.prep.core.ProgressListener}) and {@link io.surnn.prep.core.TextLines} for reading
 * line-oriented inputs with line numbers.
 */
package io.surnn.prep.core;
