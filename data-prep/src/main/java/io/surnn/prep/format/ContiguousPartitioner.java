package io.surnn.prep.format;

import org.apache.spark.Partitioner;

/**
 * Sends long keys {@code first .. first+n-1} to {@code parts} partitions of contiguous, near-equal key
 * ranges in key order; the mapping depends only on the key, never on the executors or the input
 * partitions. One class for the dataset shards (data-prep's writer) and the driver's minibatch layout.
 *
 * <p>Range p is {@code [first + start(p), first + start(p+1))} with {@code start(p) = p·n/parts}
 * rounded as {@link Rounding} says; both roundings give the same ranges when {@code parts} divides
 * {@code n}. {@link Rounding#UP} is the dataset shard rule of docs/dataset-format.md (shard k holds
 * indexes {@code [ceil(k·n/N), ceil((k+1)·n/N))}); {@link Rounding#DOWN} is how the driver spreads
 * minibatch numbers over partitions. {@link #blocks} gives ranges of one fixed size whose last one also
 * takes any key past the end (one averaging round's batches over the workers). A key outside the
 * ranges is an error naming {@code what} ("batch", "split train: record index").
 *
 * <p>Partitioners are equal when they map every key alike (same first, n, parts, rounding and
 * open end), so Spark skips a shuffle only when it would move nothing. The arithmetic is exact while
 * {@code n·parts < 2^63}.
 */
public final class ContiguousPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;

    /** Which way {@code p·n/parts}, the start of range p, is rounded. */
    public enum Rounding {
        /** Start at {@code ceil(p·n/parts)}: the longer ranges come first (dataset shards). */
        UP,
        /** Start at {@code floor(p·n/parts)}: the longer ranges come last (minibatch layout). */
        DOWN
    }

    private final long first;
    private final long n;
    private final int parts;
    private final Rounding rounding;
    private final boolean openEnd;
    private final String what;

    /**
     * Keys {@code [first, first+n)} over {@code parts} ranges; any other key is refused.
     *
     * @param what names a key in error messages, e.g. "batch"
     */
    public ContiguousPartitioner(long first, long n, int parts, Rounding rounding, String what) {
        this(first, n, parts, rounding, false, what);
    }

    private ContiguousPartitioner(long first, long n, int parts, Rounding rounding, boolean openEnd, String what) {
        if (parts < 1 || n < 1) {
            throw new IllegalArgumentException("need n >= 1 and parts >= 1, got n=" + n + ", parts=" + parts);
        }
        this.first = first;
        this.n = n;
        this.parts = parts;
        this.rounding = rounding;
        this.openEnd = openEnd;
        this.what = what;
    }

    /**
     * Range p holds keys {@code [first + p·size, first + (p+1)·size)}; the last range also takes every
     * key from {@code first + parts·size} on.
     */
    public static ContiguousPartitioner blocks(long first, int size, int parts, String what) {
        return new ContiguousPartitioner(first, (long) size * parts, parts, Rounding.DOWN, true, what);
    }

    @Override
    public int numPartitions() {
        return parts;
    }

    @Override
    public int getPartition(Object key) {
        long k = (Long) key - first;
        if (k < 0 || (k >= n && !openEnd)) {
            throw new IllegalArgumentException(what + " " + key + " is outside [" + first + ", " + (first + n) + ")");
        }
        if (k >= n) {
            return parts - 1;
        }
        // UP: the p with start(p) <= k < start(p+1) is floor(k·parts/n);
        // DOWN: the largest p with floor(p·n/parts) <= k is floor(((k+1)·parts - 1)/n)
        return (int) (rounding == Rounding.UP ? k * parts / n : ((k + 1) * parts - 1) / n);
    }

    /** First key of range {@code p}, for p in {@code [0, parts]} (p = parts gives the end). */
    public long start(int p) {
        if (p < 0 || p > parts) {
            throw new IllegalArgumentException("range " + p + " outside [0, " + parts + "]");
        }
        long scaled = (long) p * n;
        return first + (rounding == Rounding.UP ? (scaled + parts - 1) / parts : scaled / parts);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ContiguousPartitioner)) {
            return false;
        }
        ContiguousPartitioner c = (ContiguousPartitioner) o;
        return c.first == first && c.n == n && c.parts == parts && c.rounding == rounding && c.openEnd == openEnd;
    }

    @Override
    public int hashCode() {
        return ((Long.hashCode(first * 31 + n) * 31 + parts) * 31 + rounding.ordinal()) * 2 + (openEnd ? 1 : 0);
    }
}
