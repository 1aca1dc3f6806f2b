package io.surnn.driver.report;

import java.util.List;

/**
 * The numbers metrics.json holds at the end of a run. {@code metric} is "accuracy" (classifiers)
 * or "perplexity" (language models); the JSON keys become {@code test_<metric>} and
 * {@code val_<metric>}. Null test/val values (not evaluated) are left out.
 *
 * @param engine         the training engine's name, or null
 * @param roundShares    share of the profiled rounds' wall time per phase ("share_data", "share_fit",
 *                       "share_aggregate", "share_broadcast", "share_schedule"); empty when not profiled
 * @param testLoss       mean cross-entropy on test (nats per example or token), or null
 * @param valLoss        the same on the last validation, or null
 * @param throughput     mean training tokens/s or examples/s over the run ({@code unit} says which)
 * @param finalUpdateRates per-layer fraction of open neurons at the end (empty for the LSTM baseline)
 * @param stoppedBy      what ended training ("epochs", "max-steps", "max-seconds", "early-stopping"), or null
 */
public record FinalMetrics(String metric, Double test, Double val, Double testLoss, Double valLoss, double wallTimeS,
                           double throughput, String unit, long parameterCount, long steps, int epochs,
                           List<Double> finalUpdateRates, String engine, java.util.Map<String, Double> roundShares,
                           String stoppedBy) {

    /** Without what stopped training. */
    public FinalMetrics(String metric, Double test, Double val, Double testLoss, Double valLoss, double wallTimeS,
                        double throughput, String unit, long parameterCount, long steps, int epochs,
                        List<Double> finalUpdateRates, String engine, java.util.Map<String, Double> roundShares) {
        this(metric, test, val, testLoss, valLoss, wallTimeS, throughput, unit, parameterCount, steps, epochs,
                finalUpdateRates, engine, roundShares, null);
    }

    /** Without the engine's round profile. */
    public FinalMetrics(String metric, Double test, Double val, Double testLoss, Double valLoss, double wallTimeS,
                        double throughput, String unit, long parameterCount, long steps, int epochs,
                        List<Double> finalUpdateRates) {
        this(metric, test, val, testLoss, valLoss, wallTimeS, throughput, unit, parameterCount, steps, epochs,
                finalUpdateRates, null, java.util.Map.of(), null);
    }

    /** Without the test and validation losses. */
    public FinalMetrics(String metric, Double test, Double val, double wallTimeS, double throughput, String unit,
                        long parameterCount, long steps, int epochs, List<Double> finalUpdateRates) {
        this(metric, test, val, null, null, wallTimeS, throughput, unit, parameterCount, steps, epochs, finalUpdateRates,
                null, java.util.Map.of(), null);
    }

    public FinalMetrics {
        if (!metric.equals("accuracy") && !metric.equals("perplexity")) {
            throw new IllegalArgumentException("metric: must be accuracy or perplexity, got " + metric);
        }
        finalUpdateRates = finalUpdateRates == null ? List.of() : List.copyOf(finalUpdateRates);
        roundShares = roundShares == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(
                new java.util.LinkedHashMap<>(roundShares));
    }
}
