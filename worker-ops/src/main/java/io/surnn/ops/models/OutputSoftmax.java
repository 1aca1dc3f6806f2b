package io.surnn.ops.models;

/** How a language model turns its last hidden state into word probabilities (config {@code model.output.softmax}). */
public enum OutputSoftmax {
    /** One softmax over the whole vocabulary (DL4J's RnnOutputLayer, or the vocabulary layer when tied). */
    FULL,
    /** Adaptive softmax: a head over frequent words and cluster entries, narrower tails for rare words. */
    ADAPTIVE
}
