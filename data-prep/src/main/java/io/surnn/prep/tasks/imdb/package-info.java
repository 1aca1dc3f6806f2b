/**
 * {@code surnn prep imdb} (LRA Text): byte-level IMDB reviews from the aclImdb layout, as a directory
 * or one tar archive ({@link io.surnn.prep.tasks.imdb.ImdbCommand}); {@link
 * io.surnn.prep.tasks.imdb.ImdbEntry} places one review file in that layout.
 */
package io.surnn.prep.tasks.imdb;
