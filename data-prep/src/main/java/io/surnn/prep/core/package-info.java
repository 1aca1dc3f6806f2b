/**
 * The prep framework and what more than one task uses. A task package imports from here (and from
 * {@link io.surnn.prep.format}), never from another task.
 *
 * <ul>
 *   <li>Running a task: {@link io.surnn.prep.core.PrepCommand} (base class of a task, see its note on
 *       how to write one), {@link io.surnn.prep.core.CommonOptions}, the atomic
 *       {@link io.surnn.prep.core.DatasetWriter}, bad-record handling
 *       ({@link io.surnn.prep.core.BadRecordException}, {@link io.surnn.prep.core.BadRecords}) and
 *       progress ({@link io.surnn.prep.core.ProgressListener}).</li>
 *   <li>Reading inputs: {@link io.surnn.prep.core.TextLines} (line-oriented files with line numbers),
 *       {@link io.surnn.prep.core.FileTree} (a directory or a tar archive of many small files),
 *       {@link io.surnn.prep.core.ImageDecoding} and {@link io.surnn.prep.core.Grayscale} (images to
 *       gray levels, LRA's formula), {@link io.surnn.prep.core.TruncatedInputException} (a binary
 *       file that ends inside a record).</li>
 *   <li>Building rows: {@link io.surnn.prep.core.ByteTokens} (byte ids, 0 = padding),
 *       {@link io.surnn.prep.core.LabelledSeq} and {@link io.surnn.prep.core.SequenceRows} (ordered
 *       records to CLASSIFICATION rows with a dense index).</li>
 * </ul>
 */
package io.surnn.prep.core;
