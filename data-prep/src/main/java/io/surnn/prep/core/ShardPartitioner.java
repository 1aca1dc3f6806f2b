package io.surnn.prep.core;

import org.apache.spark.Partitioner;

/**
 * Sends record {@code index} (dense, 0..n-1) to shard {@code floor(index * shards / n)}: contiguous,
 * near-equal index ranges per shard, the same for any number of executors or input partitions.
 */
final class ShardPartitioner extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final long n;
    private final int shards;
    private final String split;

    ShardPartitioner(long n, int shards, String split) {
        this.n = n;
        this.shards = shards;
        this.split = split;
    }

    @Override public int numPartitions() { return shards; }

    @Override public int getPartition(Object key) {
        long idx = (Long) key;
        if (idx < 0 || idx >= n) {
            throw new IllegalStateException("split " + split + ": record index " + idx
                    + " is outside [0, " + n + "): indexes must be dense 0..n-1");
        }
        // exact for n*shards < 2^63, i.e. any realistic split
        return (int) (idx * shards / n);
    }

    /** First index of shard {@code s} (s may equal shards: then n). */
    static long start(long n, int shards, int s) {
        // smallest idx with idx*shards/n >= s, i.e. ceil(s*n/shards)
        return (s * n + shards - 1) / shards;
    }

    @Override public boolean equals(Object o) {
        return o instanceof ShardPartitioner && ((ShardPartitioner) o).n == n
                && ((ShardPartitioner) o).shards == shards;
    }

    @Override public int hashCode() { return Long.hashCode(n) * 31 + shards; }
}
