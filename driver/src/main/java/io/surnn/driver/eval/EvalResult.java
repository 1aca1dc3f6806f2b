package io.surnn.driver.eval;

/**
 * What one evaluation pass measured. {@code units} are the things the loss is averaged over:
 * target tokens (LM, COPY) or examples (classification).
 *
 * @param loss     mean cross-entropy per unit (nats)
 * @param accuracy fraction of units whose arg-max prediction is right
 * @param units    target tokens or examples counted
 * @param examples sequences seen
 */
public record EvalResult(String split, boolean perToken, double loss, double accuracy, long units, long examples) {

    /** exp(mean loss per token): the LM metric (meaningful only when {@link #perToken}). */
    public double perplexity() {
        return Math.exp(loss);
    }

    /** The metric early stopping and reports use: perplexity for LMs, accuracy otherwise. */
    public double metric() {
        return perToken ? perplexity() : accuracy;
    }

    public String metricName() {
        return perToken ? "perplexity" : "accuracy";
    }

    /** Whether a larger {@link #metric} is better. */
    public boolean higherIsBetter() {
        return !perToken;
    }

    /** True when {@code other} (same metric) is strictly better than this one. */
    public boolean isImprovedBy(double candidate) {
        return higherIsBetter() ? candidate > metric() : candidate < metric();
    }

    public String summary() {
        return perToken
                ? String.format("%s: perplexity %.3f (loss %.4f nats/token, accuracy %.4f, %d tokens)", split, perplexity(), loss, accuracy, units)
                : String.format("%s: accuracy %.4f (loss %.4f, %d examples)", split, accuracy, loss, units);
    }
}
