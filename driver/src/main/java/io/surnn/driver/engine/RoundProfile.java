package io.surnn.driver.engine;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one averaging round's wall time went, as the driver sees it, in milliseconds.
 *
 * <p>The workers run in parallel, so the worker-side phases are those of the <em>critical</em>
 * worker: the one that finished last (the round cannot end before it does). Phases:
 * <ul>
 *   <li>{@code data}: the critical worker waiting for its next minibatch (reading the round's
 *       shuffle of cached batches; with prefetch only the wait that prefetch did not hide), plus any
 *       job the engine runs on the driver's behalf just to lay the data out (dl4j-spark's count);</li>
 *   <li>{@code fit}: the critical worker's {@code fit} calls;</li>
 *   <li>{@code aggregate}: from the critical worker's last fit to the averaged parameters and
 *       optimizer state being in the driver's network (cutting/sending results, the reduction, the
 *       collect, the driver's division and copy);</li>
 *   <li>{@code broadcast}: creating the round's broadcast on the driver plus the critical worker
 *       getting it into a network (fetch, and for dl4j-spark a network rebuild);</li>
 *   <li>{@code schedule}: the rest of the wall time (task launch, stage boundaries, driver
 *       bookkeeping), never negative.</li>
 * </ul>
 * Worker and driver timestamps are compared for {@code aggregate}; on a cluster that is as exact as
 * the hosts' clocks agree (NTP: a few ms).
 *
 * @param workers             workers that fitted at least one minibatch this round (0: not profiled)
 * @param driverBytesReceived payload bytes of averaged parameters and optimizer state the driver
 *                            received this round; -1 where the engine cannot count it
 * @param replicasBuilt       networks built on the executors this round (-1: unknown)
 */
public record RoundProfile(long dataMs, long fitMs, long aggregateMs, long broadcastMs, long scheduleMs,
                           int workers, long driverBytesReceived, int replicasBuilt) {

    /** No breakdown (an engine that does not profile). */
    public static final RoundProfile NONE = new RoundProfile(0, 0, 0, 0, 0, 0, -1, -1);

    public RoundProfile {
        if (dataMs < 0 || fitMs < 0 || aggregateMs < 0 || broadcastMs < 0 || scheduleMs < 0) {
            throw new IllegalArgumentException("negative phase time: data=" + dataMs + " fit=" + fitMs + " aggregate="
                    + aggregateMs + " broadcast=" + broadcastMs + " schedule=" + scheduleMs);
        }
    }

    /**
     * A profile whose {@code schedule} is {@code wallMs} minus the other phases (at least 0). Negative
     * inputs (clock skew between hosts) are clamped to 0.
     */
    public static RoundProfile of(long wallMs, long dataMs, long fitMs, long aggregateMs, long broadcastMs,
                                  int workers, long driverBytesReceived, int replicasBuilt) {
        long d = Math.max(0, dataMs);
        long f = Math.max(0, fitMs);
        long a = Math.max(0, aggregateMs);
        long b = Math.max(0, broadcastMs);
        return new RoundProfile(d, f, a, b, Math.max(0, wallMs - d - f - a - b), workers, driverBytesReceived,
                replicasBuilt);
    }

    /** True when the engine filled the breakdown in. */
    public boolean profiled() {
        return workers > 0;
    }

    /** The five phases in report order: data, fit, aggregate, broadcast, schedule. */
    public Map<String, Long> phases() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("data", dataMs);
        m.put("fit", fitMs);
        m.put("aggregate", aggregateMs);
        m.put("broadcast", broadcastMs);
        m.put("schedule", scheduleMs);
        return m;
    }

    /** Sum of the five phases (the round's wall time when profiled). */
    public long totalMs() {
        return dataMs + fitMs + aggregateMs + broadcastMs + scheduleMs;
    }
}
