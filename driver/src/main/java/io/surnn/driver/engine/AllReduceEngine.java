package io.surnn.driver.engine;

import io.surnn.ops.models.Networks;
import org.apache.spark.HashPartitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.PairFlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.CollectionAccumulator;
import org.deeplearning4j.datasets.iterator.AsyncDataSetIterator;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.util.ComputationGraphUtil;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Synchronous data-parallel training on Spark's own primitives: network replicas that persist on the
 * executors across rounds, parameters and optimizer state averaged in shards by a Spark shuffle, the
 * average handed back by a torrent broadcast. Same contract and same arithmetic as {@link
 * ParameterAveragingEngine} (each worker fits its minibatches in order from the round's averaged
 * start, then parameters and updater state are averaged), without dl4j-spark's per-round network
 * rebuild and without the driver receiving one copy of the parameters per worker.
 *
 * <h2>Design: what runs where, per round</h2>
 * Notation: P parameters, U updater-state values (Adam: 2P), L = P + U, b bytes per value (4 for
 * float networks), N workers (the round's non-empty partitions), S shards ({@code train.shards}, by
 * default N).
 * <ol>
 *   <li><b>Driver: broadcast.</b> The driver network's parameters and updater state as one flat vector
 *       (L values), with the learning rate and the iteration/epoch counters, go into a Spark torrent
 *       broadcast. The driver serialises it once (L·b bytes); executors fetch its blocks from the
 *       driver <em>and from each other</em>, so the driver uploads about one copy, not N.</li>
 *   <li><b>Executors: train (stage 1, one task per worker).</b> The task takes an idle replica from its
 *       JVM's pool ({@link ReplicaPool}, keyed by this engine's run id), or builds one from the network
 *       JSON broadcast once at construction when there is none (first round, a new or replaced
 *       executor, more concurrent tasks than before). It sets the broadcast parameters, updater state,
 *       counters and learning rate into the replica, then fits the partition's minibatches in order with
 *       {@code fit(DataSet)} per minibatch behind the same iterator stack dl4j-spark's worker uses
 *       (batching to {@code batchPerWorker}, asynchronous prefetch). Counters are set from the driver
 *       every round, so Adam's bias correction sees what plain {@code fit} would. The replica's final
 *       vector is cut into S contiguous shards, emitted as (shard id, values) records: stage 1 writes
 *       L·b bytes of shuffle output per worker.</li>
 *   <li><b>Executors: reduce (stage 2, one task per shard).</b> {@code combineByKey} over a
 *       {@code HashPartitioner(S)} sums shard s from all N workers (reads N·L·b/S bytes) and divides by
 *       N: the average of parameters and of updater state, exactly as dl4j-spark averages them. The S
 *       reduce tasks are spread over the executors like any other tasks.</li>
 *   <li><b>Driver: collect.</b> The driver collects the S averaged shards: L·b bytes (plus a few bytes
 *       per shard) whatever N is ({@link RoundProfile#driverBytesReceived} counts them every round),
 *       and copies them into its network. The driver thus holds a fixed number of copies of the
 *       parameters (its network, the live broadcast, the collected average while reassembling),
 *       never one per worker.</li>
 * </ol>
 * Per round, then, a worker's executor receives ≈ L·b (broadcast) + N·L·b/S · (shards it reduces)
 * and sends L·b (its shards) + ≈ L·b/S per reduced shard to the driver; the driver sends ≈ L·b and
 * receives L·b. With dl4j-spark the driver receives N·L·b for N ≤ 5 (its tree-aggregate at depth 2
 * adds an intermediate level only from 6 partitions on, and then still about √N·L·b), and every
 * worker rebuilds the network from JSON each round.
 *
 * <h2>Why ordinary stages, not a barrier stage</h2>
 * The workers never talk to each other inside a stage: the reduction is a shuffle between two stages.
 * A barrier stage would add nothing but its costs: it needs N free task slots at once (a busy
 * executor core holds the whole round back), and any failed task relaunches the whole stage, i.e.
 * every worker's round. In ordinary stages a lost task is re-run alone; since every task starts from
 * the round's broadcast, a rerun reproduces what the lost one would have emitted (up to dropout's
 * random draws), and a lost executor
 * only costs the replica build on the executor that takes its task over.
 *
 * <h2>Replicas</h2>
 * A replica is only a vessel: everything that differs between rounds (parameters, updater state,
 * counters, learning rate) is overwritten from the broadcast at the start of every task, so which
 * pooled replica a task gets does not matter, and a task that fails drops its replica rather than
 * returning it. A JVM keeps the replicas of its last few runs ({@link ReplicaPool#RUNS_KEPT}) and
 * never more than it ran tasks concurrently; {@link #close} drops the driver JVM's (local mode) ones.
 *
 * <h2>Profile</h2>
 * Worker tasks report their phase times through a Spark accumulator (deduplicated per partition,
 * so a re-run task counts once); see {@link RoundProfile} for the phases. {@link #replicasBuilt()}
 * counts builds over the run (the first round builds at most N, fewer when one JVM runs its tasks one
 * after another; a later build means a lost executor, a new one, or more concurrent tasks).
 */
public final class AllReduceEngine implements TrainingEngine {
    private final JavaSparkContext sc;
    private final Model net;
    private final int updatesPerMinibatch;
    private final int batchPerWorker;
    private final int prefetch;
    private final int shards;
    private final String runId = UUID.randomUUID().toString();
    private final Broadcast<NetSpec> spec;
    private final CollectionAccumulator<WorkerTimes> times;
    private final int paramCount;
    private final int stateCount;
    private double lr = Double.NaN;
    private long replicasBuilt;

    // What crosses the wire (broadcasts, shuffle, accumulator) is written as plain classes, not records:
    // Kryo (the cluster profiles' serializer) cannot build Java records.

    /** The network's JSON and sizes, broadcast once per engine. */
    static final class NetSpec implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String type;
        private final String json;
        private final int paramCount;
        private final int stateCount;
        private final DataType dataType;

        NetSpec(String type, String json, int paramCount, int stateCount, DataType dataType) {
            this.type = type;
            this.json = json;
            this.paramCount = paramCount;
            this.stateCount = stateCount;
            this.dataType = dataType;
        }

        String type() { return type; }
        String json() { return json; }
        int paramCount() { return paramCount; }
        int stateCount() { return stateCount; }
        DataType dataType() { return dataType; }
    }

    /** What one round broadcasts: the start vector [params | updater state], the learning rate and counters. */
    static final class RoundStart implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Vec vector;
        private final double lr;
        private final int iterations;
        private final int epochs;

        RoundStart(Vec vector, double lr, int iterations, int epochs) {
            this.vector = vector;
            this.lr = lr;
            this.iterations = iterations;
            this.epochs = epochs;
        }

        Vec vector() { return vector; }
        double lr() { return lr; }
        int iterations() { return iterations; }
        int epochs() { return epochs; }
    }

    /** One worker task's times (ms; the *EpochMs fields are wall-clock timestamps). */
    static final class WorkerTimes implements Serializable {
        private static final long serialVersionUID = 1L;
        final int partition;
        final long startEpochMs;
        final long fitEndEpochMs;
        final long initMs;
        final long dataMs;
        final long fitMs;
        final int minibatches;
        final boolean built;

        WorkerTimes(int partition, long startEpochMs, long fitEndEpochMs, long initMs, long dataMs, long fitMs,
                    int minibatches, boolean built) {
            this.partition = partition;
            this.startEpochMs = startEpochMs;
            this.fitEndEpochMs = fitEndEpochMs;
            this.initMs = initMs;
            this.dataMs = dataMs;
            this.fitMs = fitMs;
            this.minibatches = minibatches;
            this.built = built;
        }
    }

    /** Shards = one per worker. */
    public AllReduceEngine(JavaSparkContext sc, Model net, EngineSettings s) {
        this(sc, net, s, 0);
    }

    /**
     * @param shards how many shards the parameter vector is reduced in (≤ 0: one per worker; at most
     *               one per value)
     */
    public AllReduceEngine(JavaSparkContext sc, Model net, EngineSettings s, int shards) {
        this.sc = sc;
        this.net = net;
        this.updatesPerMinibatch = s.updatesPerMinibatch();
        this.batchPerWorker = s.batchPerWorker();
        this.prefetch = s.prefetch();
        this.paramCount = Math.toIntExact(net.numParams());
        INDArray state = updaterState(net);
        this.stateCount = state == null ? 0 : Math.toIntExact(state.length());
        int length = paramCount + stateCount;
        this.shards = (int) Math.max(1, Math.min(length, shards > 0 ? shards : s.workers()));
        this.spec = sc.broadcast(new NetSpec(Networks.typeName(net), Networks.configurationJson(net), paramCount,
                stateCount, net.params().dataType()));
        this.times = sc.sc().collectionAccumulator("suRNN allreduce worker times");
    }

    @Override
    public RoundResult fitRound(JavaRDD<DataSet> round, String description, int stepsPerWorker) {
        long t0 = System.currentTimeMillis();
        int iterations = Networks.iterationCount(net);
        int epochs = Networks.epochCount(net);
        Broadcast<RoundStart> start = sc.broadcast(new RoundStart(Vec.of(net.params(), updaterState(net)), lr,
                iterations, epochs));
        long broadcastCreate = System.currentTimeMillis() - t0;
        times.reset();
        List<Tuple2<Integer, Shard>> averaged;
        sc.setJobGroup("surnn-train", description, true);
        try {
            averaged = round
                    .mapPartitionsToPair(new WorkerRound(runId, spec, start, times, shards, batchPerWorker, prefetch))
                    .combineByKey(v -> v, Shard::add, Shard::add, new HashPartitioner(shards), false, null)
                    .mapValues(Shard::averaged)
                    .collect();
        } finally {
            sc.clearJobGroup();
            start.destroy();
        }
        Reassembled r = reassemble(averaged);
        Networks.setCounters(net, iterations + stepsPerWorker * updatesPerMinibatch, epochs);
        long end = System.currentTimeMillis();
        RoundProfile profile = profile(end - t0, end, broadcastCreate, r.bytes);
        replicasBuilt += Math.max(0, profile.replicasBuilt());
        return new RoundResult(r.loss, end - t0, profile);
    }

    private record Reassembled(double loss, long bytes) {}

    /** Copies the S averaged shards into the driver's network; returns the workers' mean score and the bytes received. */
    private Reassembled reassemble(List<Tuple2<Integer, Shard>> averaged) {
        int length = paramCount + stateCount;
        if (averaged.size() != shards) {
            throw new IllegalStateException("allreduce round produced " + averaged.size() + " of " + shards
                    + " shards (a round without data?)");
        }
        Vec full = Vec.zeros(spec.value().dataType(), length);
        double loss = Double.NaN;
        long bytes = 0;
        for (Tuple2<Integer, Shard> t : averaged) {
            Shard s = t._2;
            full.put(shardStart(t._1, shards, length), s.values);
            bytes += s.payloadBytes();
            if (t._1 == 0) {
                loss = s.score;
            }
        }
        net.setParams(full.toArray(0, paramCount));
        INDArray state = updaterState(net);
        if (stateCount > 0) {
            state.assign(full.toArray(paramCount, length).reshape(state.shape()));
        }
        return new Reassembled(loss, bytes);
    }

    private RoundProfile profile(long wallMs, long endEpochMs, long broadcastCreateMs, long bytes) {
        Map<Integer, WorkerTimes> byPartition = new HashMap<>();
        for (WorkerTimes w : times.value()) {
            byPartition.merge(w.partition, w, (a, b) -> b.fitEndEpochMs >= a.fitEndEpochMs ? b : a);
        }
        WorkerTimes critical = null;
        int busy = 0;
        int built = 0;
        for (WorkerTimes w : byPartition.values()) {
            built += w.built ? 1 : 0;
            if (w.minibatches == 0) {
                continue;
            }
            busy++;
            if (critical == null || w.fitEndEpochMs > critical.fitEndEpochMs) {
                critical = w;
            }
        }
        if (critical == null) {
            return RoundProfile.NONE;
        }
        return RoundProfile.of(wallMs, critical.dataMs, critical.fitMs, endEpochMs - critical.fitEndEpochMs,
                broadcastCreateMs + critical.initMs, busy, bytes, built);
    }

    /** First index of shard {@code s} of {@code shards} over {@code length} values. */
    static int shardStart(int s, int shards, int length) {
        return (int) ((long) s * length / shards);
    }

    /** The updater's state view (null for a stateless updater such as SGD); creates the updater if needed. */
    static INDArray updaterState(Model m) {
        if (Networks.GRAPH.equals(Networks.typeName(m))) {
            return ((ComputationGraph) m).getUpdater().getStateViewArray();
        }
        return ((MultiLayerNetwork) m).getUpdater().getStateViewArray();
    }

    /** Networks built on the executors over the run so far. */
    public long replicasBuilt() {
        return replicasBuilt;
    }

    /** This engine's key in the executors' replica pools. */
    String runId() {
        return runId;
    }

    /** Shards the vector is reduced in. */
    public int shards() {
        return shards;
    }

    @Override
    public Model network() {
        return net;
    }

    @Override
    public void setLearningRate(double lr) {
        this.lr = lr;
        Networks.setLearningRate(net, lr);
    }

    @Override
    public String name() {
        return "allreduce";
    }

    @Override
    public void close() {
        ReplicaPool.drop(runId);
        spec.destroy();
    }

    /** Stage 1: one worker's round on its executor. */
    private static final class WorkerRound implements PairFlatMapFunction<Iterator<DataSet>, Integer, Shard> {
        private static final long serialVersionUID = 1L;
        private final String runId;
        private final Broadcast<NetSpec> spec;
        private final Broadcast<RoundStart> start;
        private final CollectionAccumulator<WorkerTimes> times;
        private final int shards;
        private final int batchPerWorker;
        private final int prefetch;

        WorkerRound(String runId, Broadcast<NetSpec> spec, Broadcast<RoundStart> start,
                    CollectionAccumulator<WorkerTimes> times, int shards, int batchPerWorker, int prefetch) {
            this.runId = runId;
            this.spec = spec;
            this.start = start;
            this.times = times;
            this.shards = shards;
            this.batchPerWorker = batchPerWorker;
            this.prefetch = prefetch;
        }

        @Override
        public Iterator<Tuple2<Integer, Shard>> call(Iterator<DataSet> data) {
            int partition = TaskContext.getPartitionId();
            long startEpoch = System.currentTimeMillis();
            long t = System.nanoTime();
            boolean any = data.hasNext(); // reads the round's shuffle: data time
            long dataNs = System.nanoTime() - t;
            if (!any) {
                times.add(new WorkerTimes(partition, startEpoch, System.currentTimeMillis(), 0, dataNs / 1_000_000, 0, 0, false));
                return Collections.emptyIterator();
            }
            t = System.nanoTime();
            NetSpec s = spec.value();
            RoundStart r = start.value();
            ReplicaPool.Taken taken = ReplicaPool.take(runId, s);
            Replica replica = taken.replica();
            replica.load(r, s);
            long initNs = System.nanoTime() - t;
            long fitNs = 0;
            int minibatches = 0;
            DataSetIterator batches = new IteratorDataSetIterator(data, batchPerWorker);
            if (prefetch > 0) {
                batches = new AsyncDataSetIterator(batches, prefetch);
            }
            try {
                while (true) {
                    t = System.nanoTime();
                    if (!batches.hasNext()) {
                        dataNs += System.nanoTime() - t;
                        break;
                    }
                    DataSet ds = batches.next();
                    long t1 = System.nanoTime();
                    dataNs += t1 - t;
                    replica.fit(ds);
                    fitNs += System.nanoTime() - t1;
                    minibatches++;
                }
            } finally {
                Nd4j.getExecutioner().commit();
                if (batches instanceof AsyncDataSetIterator a) {
                    a.shutdown();
                }
            }
            long fitEnd = System.currentTimeMillis();
            double score = replica.net.score();
            Vec all = Vec.of(replica.net.params(), updaterState(replica.net));
            ReplicaPool.give(runId, replica); // only after a successful round
            List<Tuple2<Integer, Shard>> out = new ArrayList<>(shards);
            int length = all.length();
            for (int k = 0; k < shards; k++) {
                Vec part = all.slice(shardStart(k, shards, length), shardStart(k + 1, shards, length));
                out.add(new Tuple2<>(k, new Shard(part, k == 0 ? score : 0, 1)));
            }
            times.add(new WorkerTimes(partition, startEpoch, fitEnd, initNs / 1_000_000, dataNs / 1_000_000,
                    fitNs / 1_000_000, minibatches, taken.built()));
            return out.iterator();
        }
    }

    /** A network kept on an executor between rounds, and the learning rate last set into it. */
    static final class Replica {
        final Model net;
        private double lr = Double.NaN;

        Replica(Model net) {
            this.net = net;
        }

        /** Overwrites everything round-dependent: learning rate, parameters, updater state, counters, RNN state. */
        void load(RoundStart r, NetSpec s) {
            if (!Double.isNaN(r.lr()) && r.lr() != lr) {
                Networks.setLearningRate(net, r.lr()); // may replace the updater: state is set after
                lr = r.lr();
            }
            Networks.clearState(net);
            net.setParams(r.vector().toArray(0, s.paramCount()));
            INDArray state = updaterState(net);
            if (s.stateCount() > 0) {
                state.assign(r.vector().toArray(s.paramCount(), s.paramCount() + s.stateCount()).reshape(state.shape()));
            }
            Networks.setCounters(net, r.iterations(), r.epochs());
        }

        /** One minibatch, as dl4j-spark's worker fits it. */
        void fit(DataSet ds) {
            if (net instanceof ComputationGraph g) {
                g.fit(ComputationGraphUtil.toMultiDataSet(ds));
            } else {
                ((MultiLayerNetwork) net).fit(ds);
            }
        }
    }

    /**
     * The replicas of one JVM (an executor; in local mode the driver's own), per run id. A task takes an
     * idle replica or builds one; after a successful round it gives it back. Only the {@value #RUNS_KEPT}
     * most recently used runs keep their replicas.
     */
    static final class ReplicaPool {
        static final int RUNS_KEPT = 4;
        private static final Map<String, Deque<Replica>> IDLE = new LinkedHashMap<>(8, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<Replica>> eldest) {
                return size() > RUNS_KEPT;
            }
        };

        record Taken(Replica replica, boolean built) {}

        private ReplicaPool() {}

        static Taken take(String runId, NetSpec s) {
            synchronized (IDLE) {
                Replica r = IDLE.computeIfAbsent(runId, k -> new ArrayDeque<>()).poll();
                if (r != null) {
                    return new Taken(r, false);
                }
            }
            Model m = Networks.fromJson(s.type(), s.json(), Nd4j.create(s.dataType(), 1, s.paramCount()));
            return new Taken(new Replica(m), true);
        }

        static void give(String runId, Replica r) {
            synchronized (IDLE) {
                IDLE.computeIfAbsent(runId, k -> new ArrayDeque<>()).push(r);
            }
        }

        static void drop(String runId) {
            synchronized (IDLE) {
                IDLE.remove(runId);
            }
        }

        /** Idle replicas of {@code runId} in this JVM (tests). */
        static int idle(String runId) {
            synchronized (IDLE) {
                Deque<Replica> d = IDLE.get(runId);
                return d == null ? 0 : d.size();
            }
        }
    }

    /** One shard of the [params | updater state] vector: a running sum over workers, then their mean. */
    static final class Shard implements Serializable {
        private static final long serialVersionUID = 1L;
        final Vec values;
        double score;
        int count;

        Shard(Vec values, double score, int count) {
            this.values = values;
            this.score = score;
            this.count = count;
        }

        /** Adds {@code o} into this shard (Spark hands the combiner its own deserialised copy). */
        Shard add(Shard o) {
            values.add(o.values);
            score += o.score;
            count += o.count;
            return this;
        }

        /** Sum → mean over the {@code count} workers. */
        Shard averaged() {
            values.divide(count);
            score /= count;
            return this;
        }

        long payloadBytes() {
            return values.bytes() + Double.BYTES + Integer.BYTES;
        }
    }

    /** A flat vector of a float or double network, as plain Java arrays (cheap to serialise, any serializer). */
    static final class Vec implements Serializable {
        private static final long serialVersionUID = 1L;
        private final float[] f;
        private final double[] d;

        private Vec(float[] f, double[] d) {
            this.f = f;
            this.d = d;
        }

        static Vec zeros(DataType type, int length) {
            return type == DataType.DOUBLE ? new Vec(null, new double[length]) : new Vec(new float[length], null);
        }

        /** [a | b] (b may be null) in a's precision: double for double networks, float otherwise. */
        static Vec of(INDArray a, INDArray b) {
            int na = Math.toIntExact(a.length());
            int nb = b == null ? 0 : Math.toIntExact(b.length());
            if (a.dataType() == DataType.DOUBLE) {
                double[] out = new double[na + nb];
                System.arraycopy(a.reshape(na).toDoubleVector(), 0, out, 0, na);
                if (nb > 0) {
                    System.arraycopy(b.reshape(nb).toDoubleVector(), 0, out, na, nb);
                }
                return new Vec(null, out);
            }
            float[] out = new float[na + nb];
            System.arraycopy(a.reshape(na).toFloatVector(), 0, out, 0, na);
            if (nb > 0) {
                System.arraycopy(b.reshape(nb).toFloatVector(), 0, out, na, nb);
            }
            return new Vec(out, null);
        }

        int length() {
            return f != null ? f.length : d.length;
        }

        long bytes() {
            return f != null ? (long) f.length * Float.BYTES : (long) d.length * Double.BYTES;
        }

        Vec slice(int from, int to) {
            return f != null ? new Vec(java.util.Arrays.copyOfRange(f, from, to), null)
                    : new Vec(null, java.util.Arrays.copyOfRange(d, from, to));
        }

        void add(Vec o) {
            if (o.length() != length()) {
                throw new IllegalStateException("shard lengths differ: " + length() + " vs " + o.length());
            }
            if (f != null) {
                for (int i = 0; i < f.length; i++) {
                    f[i] += o.f[i];
                }
            } else {
                for (int i = 0; i < d.length; i++) {
                    d[i] += o.d[i];
                }
            }
        }

        void divide(int n) {
            if (f != null) {
                for (int i = 0; i < f.length; i++) {
                    f[i] /= n;
                }
            } else {
                for (int i = 0; i < d.length; i++) {
                    d[i] /= n;
                }
            }
        }

        /** Copies {@code part} in at {@code offset}. */
        void put(int offset, Vec part) {
            if (f != null) {
                System.arraycopy(part.f, 0, f, offset, part.f.length);
            } else {
                System.arraycopy(part.d, 0, d, offset, part.d.length);
            }
        }

        /** Values [from, to) as a [1, to - from] array. */
        INDArray toArray(int from, int to) {
            INDArray a = f != null ? Nd4j.createFromArray(java.util.Arrays.copyOfRange(f, from, to))
                    : Nd4j.createFromArray(java.util.Arrays.copyOfRange(d, from, to));
            return a.reshape(1, to - from);
        }
    }
}
