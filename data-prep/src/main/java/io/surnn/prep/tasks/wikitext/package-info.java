/** {@code surnn prep wikitext}: WikiText-2/-103 (word, char or byte level) as LM windows. */
package io.surnn.prep.tasks.wikitext;
