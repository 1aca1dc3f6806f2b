package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One line of metrics.jsonl. A "train" event carries loss, learning rate, throughput and the
 * per-layer update rates (fraction of neurons the gate opened, layer 0 first); a "val" (or "test")
 * event carries named metrics such as {@code val_accuracy} or {@code val_perplexity}. Absent values
 * are null and left out of the JSON.
 *
 * @param throughput tokens/s (language models) or examples/s (classifiers), see {@code unit}
 * @param unit       "tok/s" or "ex/s"
 */
public record MetricsEvent(String event, double elapsedS, int epoch, long step, long round, Double loss,
                           Double lr, Double throughput, String unit, List<Double> updateRates,
                           Map<String, Double> metrics) {

    public static final String TRAIN = "train";
    public static final String VAL = "val";
    /**
     * Prefix of a train event's round-profile keys: {@code round_data_ms}, {@code round_fit_ms},
     * {@code round_aggregate_ms}, {@code round_broadcast_ms}, {@code round_schedule_ms} (where the
     * round's wall time went) and {@code round_driver_bytes} (what the driver received).
     */
    public static final String ROUND_PREFIX = "round_";

    /** This train event with the round's profile entries added to its metrics. */
    public MetricsEvent withProfile(Map<String, Double> profile) {
        Map<String, Double> m = new TreeMap<>(metrics);
        m.putAll(profile);
        return new MetricsEvent(event, elapsedS, epoch, step, round, loss, lr, throughput, unit, updateRates, m);
    }

    public MetricsEvent {
        updateRates = updateRates == null ? List.of() : List.copyOf(updateRates);
        metrics = metrics == null ? Map.of() : Map.copyOf(new TreeMap<>(metrics));
    }

    /** A training progress event (after an averaging round, typically). */
    public static MetricsEvent train(double elapsedS, int epoch, long step, long round, double loss, double lr,
                                     double throughput, String unit, List<Double> updateRates) {
        return new MetricsEvent(TRAIN, elapsedS, epoch, step, round, loss, lr, throughput, unit, updateRates, null);
    }

    /** A validation or test event with several metrics, e.g. val_accuracy and val_loss. */
    public static MetricsEvent evaluation(String event, double elapsedS, int epoch, long step, long round,
                                          Map<String, Double> metrics) {
        return new MetricsEvent(event, elapsedS, epoch, step, round, null, null, null, null, null, metrics);
    }


    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("event", event);
        o.put("elapsed_s", Rounding.round("elapsed_s", elapsedS));
        o.put("epoch", epoch);
        o.put("step", step);
        o.put("round", round);
        if (loss != null) o.put("loss", Rounding.round("loss", loss));
        if (lr != null) o.put("lr", Rounding.round("lr", lr));
        if (throughput != null) o.put("tokens_or_examples_per_s", Rounding.round("throughput", throughput));
        if (unit != null) o.put("unit", unit);
        if (!updateRates.isEmpty()) {
            updateRates.forEach(r -> o.withArray("update_rates").add(Rounding.round("update_rate", r)));
        }
        metrics.forEach((k, v) -> o.put(k, Rounding.round(k, v)));
        return o;
    }

    static MetricsEvent fromJson(JsonNode o) {
        List<Double> rates = new ArrayList<>();
        o.path("update_rates").forEach(n -> rates.add(n.asDouble()));
        Map<String, Double> metrics = new TreeMap<>();
        o.fields().forEachRemaining(e -> {
            if (e.getKey().startsWith("val_") || e.getKey().startsWith("test_") || e.getKey().startsWith(ROUND_PREFIX)) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return new MetricsEvent(o.path("event").asText(), o.path("elapsed_s").asDouble(), o.path("epoch").asInt(),
                o.path("step").asLong(), o.path("round").asLong(), optional(o, "loss"), optional(o, "lr"),
                optional(o, "tokens_or_examples_per_s"), o.hasNonNull("unit") ? o.get("unit").asText() : null,
                rates, metrics);
    }

    private static Double optional(JsonNode o, String key) {
        return o.hasNonNull(key) ? o.get(key).asDouble() : null;
    }
}
