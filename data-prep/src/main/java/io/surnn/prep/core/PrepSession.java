package io.surnn.prep.core;

import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;

/**
 * The environment of one {@code PrepMain.run} call, seen by the command it runs: an optional
 * SparkSession supplied by the caller (used as is, never stopped), and the streams for the summary
 * (out) and progress/errors (log). Without a supplied session, a session already running in the JVM
 * is joined (and left running); only a session this object started is stopped at the end. Held in
 * a thread-local for the duration of the call.
 */
public final class PrepSession {
    private static final ThreadLocal<PrepSession> CURRENT = new ThreadLocal<>();

    private final SparkSession supplied;
    private final PrintStream out;
    private final PrintStream log;
    private SparkSession started;

    public PrepSession(SparkSession supplied, PrintStream out, PrintStream log) {
        this.supplied = supplied;
        this.out = out;
        this.log = log;
    }

    /** Makes {@code s} the session of this thread's prep command until {@link #clear}. */
    public static void install(PrepSession s) { CURRENT.set(s); }

    public static void clear() { CURRENT.remove(); }

    /** The installed session, or one with no supplied Spark and System.out/err. */
    public static PrepSession current() {
        PrepSession s = CURRENT.get();
        return s != null ? s : new PrepSession(null, System.out, System.err);
    }

    public PrintStream out() { return out; }

    public PrintStream log() { return log; }

    /** The supplied session, or a new/joined one (see {@link SparkSessions#start}). */
    SparkSession spark(String master, String appName) {
        if (supplied != null) return supplied;
        if (started != null) return started;
        // A session already running in this JVM (e.g. the driver's) is joined, never stopped here.
        scala.Option<SparkSession> running = SparkSession.getDefaultSession();
        if (running.isDefined() && !running.get().sparkContext().isStopped()) return running.get();
        started = SparkSessions.start(master, appName);
        return started;
    }

    /** Stops the session this object started (never a supplied one). */
    void release() {
        if (started != null) {
            started.stop();
            started = null;
        }
    }
}
