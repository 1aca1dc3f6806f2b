/** {@code surnn prep selective-copy}: the Selective Copying task generator (kind COPY). */
package io.surnn.prep.tasks.copy;
