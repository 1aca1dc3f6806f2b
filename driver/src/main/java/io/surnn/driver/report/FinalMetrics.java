package io.surnn.driver.report;

import java.util.List;

/**
 * The numbers metrics.json holds at the end of a run. {@code metric} is "accuracy" (classifiers)
 * or "perplexity" (language models); the JSON keys become {@code test_<metric>} and
 * {@code val_<metric>}. Null test/val values (not evaluated) are left out.
 *
 * @param throughput     mean training tokens/s or examples/s over the run ({@code unit} says which)
 * @param finalUpdateRates per-layer fraction of open neurons at the end (empty for the LSTM baseline)
 */
public record FinalMetrics(String metric, Double test, Double val, double wallTimeS, double throughput,
                           String unit, long parameterCount, long steps, int epochs, List<Double> finalUpdateRates) {

    public FinalMetrics {
        if (!metric.equals("accuracy") && !metric.equals("perplexity")) {
            throw new IllegalArgumentException("metric: must be accuracy or perplexity, got " + metric);
        }
        finalUpdateRates = finalUpdateRates == null ? List.of() : List.copyOf(finalUpdateRates);
    }
}
