package io.surnn.prep.core;

import org.apache.spark.util.AccumulatorV2;

import java.util.Map;
import java.util.TreeMap;

/** A Spark accumulator counting strings (bad-record reasons); merged map sorted by reason. */
public final class ReasonCounter extends AccumulatorV2<String, Map<String, Long>> {
    private static final long serialVersionUID = 1L;
    private final TreeMap<String, Long> counts = new TreeMap<>();

    @Override public boolean isZero() { return counts.isEmpty(); }

    @Override public ReasonCounter copy() {
        ReasonCounter c = new ReasonCounter();
        synchronized (this) {
            c.counts.putAll(counts);
        }
        return c;
    }

    @Override public synchronized void reset() { counts.clear(); }

    @Override public synchronized void add(String reason) { counts.merge(reason, 1L, Long::sum); }

    @Override public synchronized void merge(AccumulatorV2<String, Map<String, Long>> other) {
        other.value().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }

    @Override public synchronized Map<String, Long> value() { return new TreeMap<>(counts); }
}
