/**
 * {@code surnn prep imdb} (LRA Text) and the helpers the other h4 tasks share: {@link
 * io.surnn.prep.tasks.imdb.ByteTokens} (byte ids, 0 = padding, used by IMDB and AAN), {@link
 * io.surnn.prep.tasks.imdb.FileTree} (a directory or a tar archive of many small files, read through
 * Hadoop; used by IMDB and CIFAR-10), {@link io.surnn.prep.tasks.imdb.LabelledSeq} and {@link
 * io.surnn.prep.tasks.imdb.SequenceRows} (ordered records → CLASSIFICATION rows with a dense index).
 */
package io.surnn.prep.tasks.imdb;
