package io.surnn.prep.core;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress lines for a running prep job: registered on the SparkContext, it prints at most one line
 * every {@code intervalMs} (on task completion) with the stage, its tasks done/total and the time
 * since the job started, and one line when a long stage (&gt; interval) completes. Runs on Spark's
 * listener-bus thread; prints to stderr so stdout stays clean for the summary.
 */
public final class ProgressListener extends SparkListener {
    private final PrintStream out;
    private final long intervalMs;
    private final long startMs = System.currentTimeMillis();
    private volatile long lastPrintMs = startMs;
    private final Map<Integer, int[]> tasks = new ConcurrentHashMap<>(); // stage → {done, total}
    private final Map<Integer, String> names = new ConcurrentHashMap<>();
    private final Map<Integer, Long> stageStart = new ConcurrentHashMap<>();
    private volatile String phase = "";

    public ProgressListener(PrintStream out, long intervalMs) {
        this.out = out;
        this.intervalMs = intervalMs;
    }

    /** What the job is doing now ("train: vocabulary"); shown on each progress line. */
    public void phase(String phase) {
        this.phase = phase;
    }

    private String elapsed() {
        return String.format("%.0fs", (System.currentTimeMillis() - startMs) / 1000.0);
    }

    @Override public void onStageSubmitted(SparkListenerStageSubmitted e) {
        int id = e.stageInfo().stageId();
        tasks.put(id, new int[]{0, e.stageInfo().numTasks()});
        names.put(id, shortName(e.stageInfo().name()));
        stageStart.put(id, System.currentTimeMillis());
    }

    @Override public void onTaskEnd(SparkListenerTaskEnd e) {
        int[] t = tasks.get(e.stageId());
        if (t == null) return;
        synchronized (t) {
            t[0]++;
        }
        long now = System.currentTimeMillis();
        if (now - lastPrintMs >= intervalMs) {
            lastPrintMs = now;
            out.printf("[prep %s] %s stage %d (%s): %d/%d tasks%n", elapsed(), phase, e.stageId(),
                    names.getOrDefault(e.stageId(), "?"), t[0], t[1]);
        }
    }

    @Override public void onStageCompleted(SparkListenerStageCompleted e) {
        int id = e.stageInfo().stageId();
        Long s = stageStart.remove(id);
        tasks.remove(id);
        String name = names.remove(id);
        if (s != null && System.currentTimeMillis() - s >= intervalMs) {
            out.printf("[prep %s] %s stage %d (%s) done in %.1fs%n", elapsed(), phase, id, name,
                    (System.currentTimeMillis() - s) / 1000.0);
        }
    }

    private static String shortName(String n) {
        int sp = n.indexOf(' ');
        return sp > 0 ? n.substring(0, sp) : n;
    }
}
