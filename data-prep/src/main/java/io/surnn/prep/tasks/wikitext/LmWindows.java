package io.surnn.prep.tasks.wikitext;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a distributed token stream into LM windows (DatasetFormat.Kind.LM) without collecting it.
 *
 * <p>Input: the stream's lines as id arrays, in order, in partitions whose first stream positions
 * are known ({@code starts[p]}, prefix sums of per-partition token counts). Window j holds stream
 * positions [j·S, min(j·S+S, T-1)] (S = seq_len), so consecutive windows share one token and there
 * are ceil((T-1)/S) windows. Each partition emits, per window it touches, a fragment (first
 * position, ids); a token at a multiple of S also goes to the previous window as its last token.
 * Fragments of one window (at most a few, at partition edges) are merged by reduceByKey in
 * position order, and the merged length is checked against the expected one.
 */
public final class LmWindows {
    private LmWindows() {}

    /** A contiguous piece of one window. */
    static final class Fragment implements Serializable {
        private static final long serialVersionUID = 1L;
        final long start;
        final int[] ids;

        Fragment(long start, int[] ids) {
            this.start = start;
            this.ids = ids;
        }

        static Fragment merge(Fragment a, Fragment b) {
            if (b.start < a.start) return merge(b, a);
            if (a.start + a.ids.length != b.start) {
                throw new IllegalStateException("LM window fragments not contiguous: [" + a.start + ", +"
                        + a.ids.length + ") then " + b.start);
            }
            int[] ids = Arrays.copyOf(a.ids, a.ids.length + b.ids.length);
            System.arraycopy(b.ids, 0, ids, a.ids.length, b.ids.length);
            return new Fragment(a.start, ids);
        }
    }

    /** Number of windows of a stream of {@code total} tokens. */
    public static long count(long total, int seqLen) {
        return total <= 1 ? 0 : (total - 1 + seqLen - 1) / seqLen;
    }

    /** Rows (index, offset, tokens) of the windows; {@code starts} has one entry per partition of {@code lines}. */
    public static JavaRDD<Row> windows(JavaRDD<int[]> lines, long[] starts, long total, int seqLen, int partitions) {
        long n = count(total, seqLen);
        return lines.mapPartitionsWithIndex((p, it) -> fragments(it, starts[p], n, seqLen).iterator(), true)
                .mapToPair(f -> f)
                .reduceByKey(Fragment::merge, partitions)
                .map(t -> {
                    long j = t._1();
                    Fragment f = t._2();
                    long want = Math.min(seqLen + 1L, total - j * seqLen);
                    if (f.start != j * seqLen || f.ids.length != want) {
                        throw new IllegalStateException("LM window " + j + " assembled with " + f.ids.length
                                + " tokens from position " + f.start + ", expected " + want + " from " + j * seqLen);
                    }
                    return RowFactory.create(j, j * seqLen, f.ids);
                });
    }

    private static List<Tuple2<Long, Fragment>> fragments(java.util.Iterator<int[]> it, long pos, long n, int s) {
        List<Tuple2<Long, Fragment>> out = new ArrayList<>();
        long cur = -1, curStart = 0;
        IntBuf buf = new IntBuf();
        while (it.hasNext()) {
            for (int id : it.next()) {
                long w = pos / s;
                if (pos % s == 0 && pos > 0 && w - 1 < n) {       // closes window w-1
                    if (cur == w - 1) {
                        buf.add(id);
                        out.add(new Tuple2<>(cur, new Fragment(curStart, buf.take())));
                        cur = -1;
                    } else {
                        out.add(new Tuple2<>(w - 1, new Fragment(pos, new int[]{id})));
                    }
                }
                if (w < n) {
                    if (cur != w) {
                        if (cur >= 0) out.add(new Tuple2<>(cur, new Fragment(curStart, buf.take())));
                        cur = w;
                        curStart = pos;
                    }
                    buf.add(id);
                }
                pos++;
            }
        }
        if (cur >= 0) out.add(new Tuple2<>(cur, new Fragment(curStart, buf.take())));
        return out;
    }

    /** A growable int array. */
    private static final class IntBuf {
        private int[] a = new int[1024];
        private int n;

        void add(int v) {
            if (n == a.length) a = Arrays.copyOf(a, n * 2);
            a[n++] = v;
        }

        int[] take() {
            int[] r = Arrays.copyOf(a, n);
            n = 0;
            return r;
        }
    }
}
