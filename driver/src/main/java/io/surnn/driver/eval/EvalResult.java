package io.surnn.driver.eval;

/**
 * What one evaluation pass measured. {@code units} are the things the loss is averaged over:
 * target tokens (LM, COPY) or examples (classification).
 *
 * @param loss     mean cross-entropy per unit (nats)
 * @param accuracy fraction of units whose arg-max prediction is right
 * @param units    target tokens or examples counted
 * @param examples sequences seen
 * @param perplexityMetric the metric is perplexity (language models) rather than accuracy (classifiers,
 *                 and per-token tasks such as selective copy, whose loss is per token but whose result
 *                 is the share of right tokens)
 */
public record EvalResult(String split, boolean perToken, double loss, double accuracy, long units, long examples,
                         boolean perplexityMetric) {

    /** Perplexity is the metric exactly when the loss is per token (the evaluator's default). */
    public EvalResult(String split, boolean perToken, double loss, double accuracy, long units, long examples) {
        this(split, perToken, loss, accuracy, units, examples, perToken);
    }

    /** The same result with accuracy as its metric (a per-token task that is not language modelling). */
    public EvalResult withAccuracyMetric() {
        return new EvalResult(split, perToken, loss, accuracy, units, examples, false);
    }

    /** exp(mean loss per token): the LM metric (meaningful only when {@link #perToken}). */
    public double perplexity() {
        return Math.exp(loss);
    }

    /** The metric early stopping and reports use: perplexity for LMs, accuracy otherwise. */
    public double metric() {
        return perplexityMetric ? perplexity() : accuracy;
    }

    public String metricName() {
        return perplexityMetric ? "perplexity" : "accuracy";
    }

    /** Whether a larger {@link #metric} is better. */
    public boolean higherIsBetter() {
        return !perplexityMetric;
    }

    /** True when {@code other} (same metric) is strictly better than this one. */
    public boolean isImprovedBy(double candidate) {
        return higherIsBetter() ? candidate > metric() : candidate < metric();
    }

    public String summary() {
        if (perToken && !perplexityMetric) {
            return String.format("%s: accuracy %.4f per token (loss %.4f nats/token, %d tokens)", split, accuracy, loss, units);
        }
        return perToken
                ? String.format("%s: perplexity %.3f (loss %.4f nats/token, accuracy %.4f, %d tokens)", split, perplexity(), loss, accuracy, units)
                : String.format("%s: accuracy %.4f (loss %.4f, %d examples)", split, accuracy, loss, units);
    }
}
