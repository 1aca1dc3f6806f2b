/**
 * Vocabulary-sized layers of language models: an adaptive softmax output layer that gives exact,
 * normalised probabilities at a fraction of a full softmax's cost, and an adaptive input embedding
 * whose matrices the output layer can share (tied embeddings). docs/layers.md ("Vocabulary layers")
 * has the equations.
 */
package io.surnn.ops.layers.vocab;
