package io.surnn.ops.layers.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Two-way split of a step's element-wise work (the cell math over the minibatch rows) between the
 * calling thread and the common fork-join pool, while the BLAS threads are idle between products.
 *
 * <p>Design note: the products already use every core through OpenBLAS; the element-wise work in between
 * runs in Java and would otherwise use one. Splitting pays from a few thousand pre-activations per step
 * ({@link #MIN_SPLIT}); below that the hand-off (tens of microseconds) costs more than it saves. The
 * system property {@code surnn.kernel.threads=1} turns the split off (for instance when Spark runs one
 * task per core already).
 */
public final class Threads {

    /** Smallest B * G * n (pre-activation values of one step) worth splitting. */
    public static final long MIN_SPLIT = 4096;

    private static final boolean PARALLEL = Integer.getInteger("surnn.kernel.threads",
            Runtime.getRuntime().availableProcessors()) > 1 && ForkJoinPool.getCommonPoolParallelism() > 0;

    private Threads() {
    }

    private static final java.util.concurrent.atomic.AtomicLong SPLITS = new java.util.concurrent.atomic.AtomicLong();

    /** How many steps' element-wise work was split so far in this JVM (for tests and diagnostics). */
    public static long splits() {
        return SPLITS.get();
    }

    static boolean parallel() {
        return PARALLEL;
    }

    /** Runs a in the calling thread and b in the common pool, and returns when both are done. */
    static void both(Runnable a, Runnable b) {
        SPLITS.incrementAndGet();
        ForkJoinTask<?> fb = ForkJoinPool.commonPool().submit(b);
        Throwable failure = null;
        try {
            a.run();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            fb.join();
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error er) {
            throw er;
        }
    }
}
