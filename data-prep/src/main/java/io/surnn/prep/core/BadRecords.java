package io.surnn.prep.core;

import org.apache.spark.SparkContext;

import java.io.Serializable;
import java.util.Map;

/**
 * The bad-record policy of one prep job plus its per-reason counter (a Spark accumulator).
 *
 * <p>Use inside tasks: {@code try { parse } catch (BadRecordException e) { bad.handle(e); continue; }}.
 * Under FAIL, {@link #handle} rethrows and the job stops; under SKIP it counts the reason.
 *
 * <p>Count each input record ONCE: call {@link #handle} only in the one pass over the input that is
 * an action run once (e.g. the pass that feeds {@link DatasetWriter#writeSplit} or a count/collect),
 * and in any other pass over the same input drop bad records with {@link #dropSilently}; Spark may
 * re-run a transformation, and accumulator updates made there would then be counted twice.
 */
public final class BadRecords implements Serializable {
    private static final long serialVersionUID = 1L;
    private final BadRecordPolicy policy;
    private final ReasonCounter counter;

    public BadRecords(BadRecordPolicy policy, SparkContext sc) {
        this.policy = policy;
        this.counter = new ReasonCounter();
        sc.register(counter, "surnn.prep.skipped");
    }

    public BadRecordPolicy policy() { return policy; }

    /** FAIL: rethrows {@code e}. SKIP: counts {@code e.reason()} and returns. */
    public void handle(BadRecordException e) {
        if (policy == BadRecordPolicy.FAIL) throw e;
        counter.add(e.reason());
    }

    /** For a second pass over input already counted: FAIL rethrows (defensive), SKIP ignores. */
    public void dropSilently(BadRecordException e) {
        if (policy == BadRecordPolicy.FAIL) throw e;
    }

    /** Reason → count so far (driver side; read after the counting action has run). */
    public Map<String, Long> counts() {
        return counter.value();
    }
}
