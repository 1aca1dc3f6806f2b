package io.surnn.driver.train;

/**
 * What the loop reports after each averaging round (console progress line, metrics log).
 *
 * @param updateRates per recurrent layer, the fraction of open (neuron, step) pairs the averaged
 *                    network had on a probe minibatch (empty for layers without a gate)
 * @param examples    sequences fitted in this round (all workers)
 * @param tokens      input tokens fitted in this round (all workers), padding excluded
 * @param profile     where the round's wall time went (the engine's breakdown; NONE when not profiled)
 */
public record RoundReport(int epoch, long round, long roundsPerEpoch, long step, long totalSteps, double loss,
                          double learningRate, long millis, long examples, long tokens, double[] updateRates,
                          double etaSeconds, io.surnn.driver.engine.RoundProfile profile) {

    public RoundReport {
        profile = profile == null ? io.surnn.driver.engine.RoundProfile.NONE : profile;
    }

    /** A report without the engine's time breakdown. */
    public RoundReport(int epoch, long round, long roundsPerEpoch, long step, long totalSteps, double loss,
                       double learningRate, long millis, long examples, long tokens, double[] updateRates,
                       double etaSeconds) {
        this(epoch, round, roundsPerEpoch, step, totalSteps, loss, learningRate, millis, examples, tokens, updateRates,
                etaSeconds, null);
    }
}
