package io.surnn.driver.data;

import io.surnn.prep.format.ContiguousPartitioner;
import io.surnn.prep.format.DatasetFormat;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.dataset.DataSet;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * A split as numbered DL4J minibatches, cached on the executors, handed out one averaging round at
 * a time.
 *
 * <p>Design: records are keyed by their batch number ({@link BatchPlan}) and shuffled once into
 * contiguous ranges of batch numbers ({@link ContiguousPartitioner}, rounding down), so partition p
 * holds batches [p·n/P, (p+1)·n/P) built on the executor in order. A round is batches [lo, hi): with {@link Layout#ASSIGN} they are moved so worker
 * w gets batches lo + w·F … lo + (w+1)·F − 1 in order (F = averaging frequency); with {@link
 * Layout#KEEP} the round keeps the cached partitions (no shuffle, workers = non-empty partitions).
 * The driver never collects the data; rounds are computed from the cache.
 */
public final class BatchedSplit implements AutoCloseable {

    /** Whether a round's batches are laid out over exactly the workers (ASSIGN) or left where cached (KEEP). */
    public enum Layout { ASSIGN, KEEP }

    /** Turns one batch's records, in position order, into a minibatch. */
    public interface BatchMaker extends Serializable {
        DataSet make(List<Record> records);
    }

    private final JavaPairRDD<Long, DataSet> batches;
    private final BatchPlan plan;
    private final String name;

    private BatchedSplit(JavaPairRDD<Long, DataSet> batches, BatchPlan plan, String name) {
        this.batches = batches;
        this.plan = plan;
        this.name = name;
    }

    /**
     * @param records    the split's records (any order; each carries its dense {@code index})
     * @param shuffleSeed null: batches in index order; else records are placed by a seeded permutation
     *                   of the indices (never for LM, whose rows must be contiguous)
     */
    public static BatchedSplit build(JavaSparkContext sc, String name, JavaRDD<Record> records, BatchPlan plan,
                                     BatchMaker maker, Long shuffleSeed, int partitions) {
        if (shuffleSeed != null && plan.kind == DatasetFormat.Kind.LM) {
            throw new IllegalArgumentException("LM windows cannot be shuffled (rows must be contiguous stretches of the stream)");
        }
        Broadcast<long[]> perm = shuffleSeed == null ? null : sc.broadcast(permutation(plan.records, shuffleSeed));
        int parts = (int) Math.max(1, Math.min(partitions, plan.batches()));
        JavaPairRDD<Long, Record> keyed = records.mapToPair(r -> {
            if (r.index < 0 || r.index >= plan.records) {
                throw new IllegalArgumentException(name + ": record index " + r.index + " outside [0, " + plan.records + ")");
            }
            long pos = perm == null ? r.index : perm.value()[(int) r.index];
            return new Tuple2<>(pos, r);
        });
        JavaPairRDD<Long, DataSet> built = keyed
                .mapToPair(t -> new Tuple2<>(plan.batchOf(t._1), new Tuple2<>(t._1, t._2)))
                .partitionBy(new ContiguousPartitioner(0, plan.batches(), parts, ContiguousPartitioner.Rounding.DOWN, "batch"))
                .mapPartitionsToPair(it -> assemble(it, maker), true);
        built.setName("suRNN " + name + " minibatches").persist(StorageLevel.MEMORY_AND_DISK());
        return new BatchedSplit(built, plan, name);
    }

    private static Iterator<Tuple2<Long, DataSet>> assemble(Iterator<Tuple2<Long, Tuple2<Long, Record>>> it,
                                                            BatchMaker maker) {
        TreeMap<Long, List<Tuple2<Long, Record>>> byBatch = new TreeMap<>();
        while (it.hasNext()) {
            Tuple2<Long, Tuple2<Long, Record>> t = it.next();
            byBatch.computeIfAbsent(t._1, k -> new ArrayList<>()).add(t._2);
        }
        List<Tuple2<Long, DataSet>> out = new ArrayList<>(byBatch.size());
        for (Map.Entry<Long, List<Tuple2<Long, Record>>> e : byBatch.entrySet()) {
            List<Tuple2<Long, Record>> members = e.getValue();
            members.sort(Comparator.comparingLong(Tuple2::_1));
            List<Record> recs = new ArrayList<>(members.size());
            for (Tuple2<Long, Record> m : members) {
                recs.add(m._2);
            }
            out.add(new Tuple2<>(e.getKey(), maker.make(recs)));
        }
        return out.iterator();
    }

    /** A seeded permutation: position of record i. */
    static long[] permutation(long n, long seed) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("cannot shuffle " + n + " records in memory");
        }
        long[] p = new long[(int) n];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        Random rnd = new Random(seed);
        for (int i = p.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            long tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    public BatchPlan plan() {
        return plan;
    }

    public long numBatches() {
        return plan.batches();
    }

    /** All batches, in cached partitions (evaluation). */
    public JavaRDD<DataSet> all() {
        return batches.values();
    }

    /**
     * Batches [lo, hi) for one averaging round. ASSIGN: {@code workers} partitions, worker w gets
     * the w-th run of {@code perWorker} consecutive batches, in order.
     */
    public JavaRDD<DataSet> round(long lo, long hi, int workers, int perWorker, Layout layout) {
        if (lo < 0 || hi > plan.batches() || lo >= hi) {
            throw new IllegalArgumentException(name + ": round batches [" + lo + ", " + hi + ") outside [0, " + plan.batches() + ")");
        }
        JavaPairRDD<Long, DataSet> sel = batches.filter(t -> t._1 >= lo && t._1 < hi);
        if (layout == Layout.KEEP) {
            return sel.values();
        }
        int parts = (int) Math.min(workers, (hi - lo + perWorker - 1) / perWorker);
        long n = (long) parts * perWorker;
        return sel.partitionBy(ContiguousPartitioner.blocks(lo, perWorker, parts, "batch"))
                .mapPartitions(it -> {
                    List<Tuple2<Long, DataSet>> list = new ArrayList<>();
                    it.forEachRemaining(list::add);
                    list.sort(Comparator.comparingLong(Tuple2::_1));
                    List<DataSet> out = new ArrayList<>(list.size());
                    for (Tuple2<Long, DataSet> t : list) {
                        out.add(t._2);
                    }
                    return out.iterator();
                }, true)
                .setName("suRNN " + name + " round [" + lo + "," + hi + ") over " + parts + " workers (" + n + " slots)");
    }

    @Override
    public void close() {
        batches.unpersist(false);
    }
}
