/**
 * Evaluation across executors: perplexity for language models, accuracy for classifiers and copy
 * tasks, computed from broadcast parameters next to the cached minibatches and summed on the driver.
 */
package io.surnn.driver.eval;
