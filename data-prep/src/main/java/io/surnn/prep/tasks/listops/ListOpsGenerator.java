package io.surnn.prep.tasks.listops;

import io.surnn.prep.core.Seeds;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import scala.Tuple2;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Distributed, deterministic, globally de-duplicated ListOps generation.
 *
 * <p>{@value #PARTITIONS} generator partitions (a constant, so the output does not depend on the
 * cluster) each draw trees from their own random stream (seeded from --seed and the partition)
 * and keep those with min_length &lt; length &lt; max_length: candidate (p, k) is the k-th kept tree
 * of partition p, and a partition's first q candidates are the same for any quota ≥ q.
 *
 * <p>Step 1 generates q candidates per partition and finds duplicates by a SHA-256 of the
 * rendered text (reduce by hash; only the hashes are shuffled): of equal trees the one with the
 * smallest (p, k) survives; the losers' coordinates (normally none) come back to the driver. If
 * fewer than train+valid+test survive, q grows and step 1 repeats. Step 2 regenerates the
 * candidates, drops the losers and ranks survivors in (p, k) order using per-partition prefix
 * sums; ranks [0, train) are train, then valid, then test (the reference also splits one
 * de-duplicated pool in order). Each split's pass only regenerates partitions that hold its ranks.
 */
public final class ListOpsGenerator implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int PARTITIONS = 16;

    /** One generated example: its rank in the pool, the tree's TSV text, model ids and label. */
    public static final class Example implements Serializable {
        private static final long serialVersionUID = 1L;
        public final long rank;
        public final String source;
        public final int[] tokens;
        public final int label;

        Example(long rank, String source, int[] tokens, int label) {
            this.rank = rank;
            this.source = source;
            this.tokens = tokens;
            this.label = label;
        }
    }

    private final long seed;
    private final int minLength;
    private final int maxLength;
    private final int maxDepth;
    private final int maxArgs;

    public ListOpsGenerator(long seed, int minLength, int maxLength, int maxDepth, int maxArgs) {
        if (minLength < 0 || maxLength <= minLength + 1) {
            throw new IllegalArgumentException("need 0 <= --min-length < length < --max-length with room between, got "
                    + minLength + " and " + maxLength);
        }
        if (maxArgs < 2) throw new IllegalArgumentException("--max-args must be >= 2, not " + maxArgs);
        if (maxDepth < 2) throw new IllegalArgumentException("--max-depth must be >= 2, not " + maxDepth);
        this.seed = seed;
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.maxDepth = maxDepth;
        this.maxArgs = maxArgs;
    }

    /** Candidate trees 0..q-1 of partition p, in order. */
    Iterator<ListOpsTree> candidates(int p, long q) {
        SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, p));
        return new Iterator<>() {
            long made;

            @Override public boolean hasNext() { return made < q; }

            @Override public ListOpsTree next() {
                while (true) {
                    ListOpsTree t = ListOpsTree.generate(rng, 1, maxDepth, maxArgs);
                    if (t.length() > minLength && t.length() < maxLength) {
                        made++;
                        return t;
                    }
                }
            }
        };
    }

    static String hash(String rendered) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(rendered.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pool plan: candidates per partition, duplicate losers, and each partition's first rank. */
    static final class Plan implements Serializable {
        private static final long serialVersionUID = 1L;
        final long quota;
        final Set<Long> losers;      // p * 2^32 + k
        final long[] starts;         // PARTITIONS + 1 entries

        Plan(long quota, Set<Long> losers) {
            this.quota = quota;
            this.losers = losers;
            this.starts = new long[PARTITIONS + 1];
            long[] lost = new long[PARTITIONS];
            for (long c : losers) lost[(int) (c >>> 32)]++;
            for (int p = 0; p < PARTITIONS; p++) starts[p + 1] = starts[p] + quota - lost[p];
        }

        long survivors() { return starts[PARTITIONS]; }
    }

    /** Step 1: a quota large enough for {@code total} distinct trees, with the duplicates to drop. */
    Plan plan(JavaSparkContext jsc, long total) {
        long base = (total + PARTITIONS - 1) / PARTITIONS;
        for (int attempt = 0; ; attempt++) {
            long quota = base + (base >> (6 - Math.min(attempt, 6))) + 4L;   // +1/64, 1/32, … spare
            List<Integer> parts = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) parts.add(p);
            List<Long> losers = jsc.parallelize(parts, PARTITIONS)
                    .flatMapToPair(p -> {
                        List<Tuple2<String, Long>> out = new ArrayList<>();
                        Iterator<ListOpsTree> it = candidates(p, quota);
                        for (long k = 0; it.hasNext(); k++) {
                            out.add(new Tuple2<>(hash(it.next().render()), ((long) p << 32) | k));
                        }
                        return out.iterator();
                    })
                    .groupByKey()
                    .flatMap(g -> {
                        List<Long> ids = new ArrayList<>();
                        g._2().forEach(ids::add);
                        if (ids.size() < 2) return Collections.emptyIterator();
                        Collections.sort(ids);
                        return ids.subList(1, ids.size()).iterator();
                    })
                    .collect();
            Plan plan = new Plan(quota, new HashSet<>(losers));
            if (plan.survivors() >= total) return plan;
            if (attempt > 20) {
                throw new IllegalArgumentException("cannot find " + total + " distinct ListOps trees with these "
                        + "settings (only " + plan.survivors() + "): lower the counts or widen the length bounds");
            }
        }
    }

    /** Step 2: the examples with rank in [from, to), in rank order (partition order = rank order). */
    JavaRDD<Example> examples(JavaSparkContext jsc, Plan plan, long from, long to) {
        Broadcast<Plan> b = jsc.broadcast(plan);
        List<Integer> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) parts.add(p);
        return jsc.parallelize(parts, PARTITIONS).flatMap(p -> {
            Plan pl = b.value();
            List<Example> out = new ArrayList<>();
            if (pl.starts[p + 1] <= from || pl.starts[p] >= to) return out.iterator();
            Iterator<ListOpsTree> it = candidates(p, pl.quota);
            long rank = pl.starts[p];
            for (long k = 0; it.hasNext() && rank < to; k++) {
                ListOpsTree t = it.next();
                if (pl.losers.contains(((long) p << 32) | k)) continue;
                if (rank >= from) out.add(new Example(rank, t.render(), t.tokens(), t.value()));
                rank++;
            }
            return out.iterator();
        });
    }
}
