package io.surnn.prep.core;

import org.apache.spark.sql.Row;
import org.apache.spark.util.LongAccumulator;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Passes one sorted shard's rows through while checking that their indexes are exactly
 * start, start+1, …, end-1 (so every split is dense 0..n-1 without a separate job) and adding the
 * rows' token counts (all array columns except {@code targets}) to an accumulator.
 */
final class DenseIndexCheck implements Iterator<Row> {
    private final Iterator<Row> in;
    private final String split;
    private final long end;
    private final int[] tokenCols;
    private final LongAccumulator tokens;
    private long next;

    DenseIndexCheck(Iterator<Row> in, String split, long start, long end, int[] tokenCols, LongAccumulator tokens) {
        this.in = in;
        this.split = split;
        this.next = start;
        this.end = end;
        this.tokenCols = tokenCols;
        this.tokens = tokens;
    }

    @Override public boolean hasNext() {
        boolean more = in.hasNext();
        if (!more && next != end) {
            throw new IllegalStateException("split " + split + ": record indexes " + next + ".." + (end - 1)
                    + " are missing: indexes must be dense 0..n-1");
        }
        return more;
    }

    @Override public Row next() {
        if (!in.hasNext()) throw new NoSuchElementException();
        Row r = in.next();
        long idx = r.getLong(0);
        if (idx != next) {
            throw new IllegalStateException("split " + split + ": expected record index " + next + ", found "
                    + idx + (idx < next ? " (duplicate index)" : " (gap)") + ": indexes must be dense 0..n-1");
        }
        next++;
        long t = 0;
        for (int c : tokenCols) t += length(r.get(c));
        tokens.add(t);
        return r;
    }

    static int length(Object arr) {
        if (arr instanceof int[]) return ((int[]) arr).length;
        if (arr instanceof List) return ((List<?>) arr).size();
        if (arr instanceof scala.collection.Seq) return ((scala.collection.Seq<?>) arr).size();
        if (arr instanceof Object[]) return ((Object[]) arr).length;
        throw new IllegalArgumentException("not an array column value: " + (arr == null ? null : arr.getClass()));
    }
}
