package io.surnn.driver.data;

import org.apache.spark.Partitioner;

/**
 * Puts batch numbers [0, n) into {@code parts} partitions of contiguous, equal-as-possible ranges:
 * partition p holds batches [p·n/parts, (p+1)·n/parts). With an {@code offset}, batch {@code offset+k}
 * is treated as k (used to lay out one averaging round's batches over the workers).
 */
public final class ContiguousPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final long offset;
    private final long n;
    private final int parts;

    public ContiguousPartitioner(long offset, long n, int parts) {
        if (parts < 1 || n < 1) {
            throw new IllegalArgumentException("need n >= 1 and parts >= 1, got n=" + n + ", parts=" + parts);
        }
        this.offset = offset;
        this.n = n;
        this.parts = parts;
    }

    @Override
    public int numPartitions() {
        return parts;
    }

    @Override
    public int getPartition(Object key) {
        long k = ((Long) key) - offset;
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException("batch " + key + " outside [" + offset + ", " + (offset + n) + ")");
        }
        // the largest p with floor(p*n/parts) <= k
        return (int) Math.min(parts - 1, ((k + 1) * parts - 1) / n);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContiguousPartitioner && ((ContiguousPartitioner) o).offset == offset
                && ((ContiguousPartitioner) o).n == n && ((ContiguousPartitioner) o).parts == parts;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset * 31 + n) * 31 + parts;
    }
}
