package io.surnn.ops.layers.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Two-way split of a step's element-wise work (the cell math over the minibatch rows) between the
 * calling thread and the common fork-join pool, while the BLAS threads are idle between products.
 *
 * <p>Design note: the products already use every core through OpenBLAS; the element-wise work in between
 * runs in Java and would otherwise use one. Splitting pays from a few thousand pre-activations per step
 * ({@link #MIN_SPLIT}); below that the hand-off (tens of microseconds) costs more than it saves. Only a
 * pass that runs alone in the JVM splits: when Spark runs several tasks in one executor, the cores are
 * already busy. The system property {@code surnn.kernel.threads=1} turns the split off.
 */
public final class Threads {

    /** Smallest B * G * n (pre-activation values of one step) worth splitting. */
    public static final long MIN_SPLIT = 16384;

    /** Kernel passes running in this JVM now (Spark runs one per task thread). */
    private static final java.util.concurrent.atomic.AtomicInteger ACTIVE = new java.util.concurrent.atomic.AtomicInteger();

    private static final boolean PARALLEL = Integer.getInteger("surnn.kernel.threads",
            Runtime.getRuntime().availableProcessors()) > 1 && ForkJoinPool.getCommonPoolParallelism() > 0;

    private Threads() {
    }

    private static final java.util.concurrent.atomic.AtomicLong SPLITS = new java.util.concurrent.atomic.AtomicLong();

    /** How many steps' element-wise work was split so far in this JVM (for tests and diagnostics). */
    public static long splits() {
        return SPLITS.get();
    }

    /** True when splitting is on and this is the only kernel pass running in the JVM. */
    static boolean parallel() {
        return PARALLEL && ACTIVE.get() <= 1;
    }

    private static volatile boolean blasSingle;

    /**
     * Marks the start of a kernel pass (forward or backward); pair with {@link #leave()}. The first time two
     * passes run at once in this JVM (Spark tasks sharing an executor's cores), BLAS is set to one thread
     * per call for the rest of the JVM's life: each task then keeps one core busy, where two-thread
     * products from every task would oversubscribe the cores (measured in quickstart, local[2]: small
     * products became the slowest part of a step). One thread or two give the same results: OpenBLAS
     * splits a product's output between threads, not its sums.
     */
    static void enter() {
        if (ACTIVE.incrementAndGet() >= 2 && !blasSingle) {
            synchronized (Threads.class) {
                if (!blasSingle) {
                    blasSingle = true;
                    org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
                    org.slf4j.LoggerFactory.getLogger(Threads.class).info(
                            "su-layer passes run concurrently in this JVM: BLAS set to 1 thread per call");
                }
            }
        }
    }

    static void leave() {
        ACTIVE.decrementAndGet();
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
