package io.surnn.driver.train;

/**
 * What the loop reports after each averaging round (console progress line, metrics log).
 *
 * @param updateRates per recurrent layer, the fraction of open (neuron, step) pairs the averaged
 *                    network had on a probe minibatch (empty for layers without a gate)
 * @param examples    sequences fitted in this round (all workers)
 * @param tokens      input tokens fitted in this round (all workers), padding excluded
 */
public record RoundReport(int epoch, long round, long roundsPerEpoch, long step, long totalSteps, double loss,
                          double learningRate, long millis, long examples, long tokens, double[] updateRates,
                          double etaSeconds) {}
