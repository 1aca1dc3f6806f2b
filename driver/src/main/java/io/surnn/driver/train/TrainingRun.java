package io.surnn.driver.train;

import io.surnn.driver.checkpoint.Checkpoint;
import io.surnn.driver.checkpoint.CheckpointState;
import io.surnn.driver.checkpoint.CheckpointStore;
import io.surnn.driver.checkpoint.ManifestChecksum;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.config.TrainConfig;
import io.surnn.driver.data.BatchPlan;
import io.surnn.driver.data.BatchedSplit;
import io.surnn.driver.data.DatasetProfile;
import io.surnn.driver.data.Record;
import io.surnn.driver.data.SplitReader;
import io.surnn.driver.engine.EngineSettings;
import io.surnn.driver.engine.TrainingEngine;
import io.surnn.driver.engine.TrainingEngines;
import io.surnn.driver.eval.DistributedEvaluator;
import io.surnn.driver.eval.EvalResult;
import io.surnn.driver.report.RunDirectory;
import io.surnn.driver.report.RunDirectoryRefusedException;
import io.surnn.driver.report.RunLock;
import io.surnn.driver.report.RunReporter;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code train} command from start to finish: verify the dataset (before Spark starts), build or
 * restore the model, start Spark, cut the splits into cached minibatches, run the {@link
 * TrainingLoop} with the reporter and checkpoint store attached, evaluate on test, write the model
 * directory and the report.
 *
 * <p>The run directory: before anything is written, the run takes output.dir's {@link RunLock}
 * (released at the end, whatever happens). A fresh run into a directory that holds anything is
 * refused unless {@link Start#overwrite} moves it aside; a resumed run cuts metrics.jsonl back to the
 * checkpoint it continues from ({@link RunReporter#cutForResume}). An I/O failure once training has
 * started is a {@link TrainingFailedException}, not bad input.
 *
 * <p>Data order: classification and copy records are reshuffled every epoch with seed
 * {@code train.seed + epoch} (so a resumed epoch sees the same order); LM windows keep stream order.
 */
public final class TrainingRun {
    /** What a finished run reports back to the CLI. */
    public record Outcome(TrainState state, EvalResult valid, EvalResult test, String reportPath, String modelDir,
                          String stoppedBy) {}

    private final RunConfig cfg;
    private final PrintStream out;
    private final Configuration hadoop;

    public TrainingRun(RunConfig cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
        // the run's spark.hadoop.* settings (S3 endpoint, credential providers) for the driver's own I/O too
        this.hadoop = cfg.spark().hadoopConfiguration();
    }

    /**
     * How a run treats output.dir (the {@code train} options of the same names).
     *
     * @param resume      continue from the newest valid checkpoint
     * @param overwrite   a fresh run into a directory that holds anything moves it aside first
     * @param forceUnlock remove a lock that is there (a run that is gone left it)
     * @param master      Spark master overriding the config's, or null
     */
    public record Start(boolean resume, boolean overwrite, boolean forceUnlock, String master) {
        public Start {
            if (resume && overwrite) {
                throw new IllegalArgumentException("--resume continues the run in output.dir and --overwrite moves it aside: give one of them");
            }
        }
    }

    public Outcome run(boolean resume, String masterOverride) throws IOException {
        return run(new Start(resume, false, false, masterOverride));
    }

    public Outcome run(Start how) throws IOException {
        Preflight.outputWritable(cfg.output().dir(), hadoop);
        SplitReader data = SplitReader.openVerified(cfg.data().path(), hadoop);
        Preflight.trainingSplits(data, out);
        DatasetManifest m = data.manifest();
        String manifestSha = ManifestChecksum.of(cfg.data().path(), hadoop);
        boolean resume = how.resume();
        try (RunLock lock = RunLock.acquire(cfg.output().dir(), hadoop, "train", how.forceUnlock(), this::warn)) {
            if (!resume) {
                requireFreshDirectory(lock, how.overwrite());
            }
            CheckpointStore store = CheckpointStore.forRun(cfg, hadoop, lock, this::warn);
            Model net = null;
            TrainState start = TrainState.start();
            if (resume) {
                Optional<Checkpoint> cp = store.latestValid();
                if (cp.isPresent()) {
                    cp.get().requireCompatible(cfg, manifestSha);
                    net = cp.get().restore();
                    start = fromCheckpoint(cp.get().state());
                    out.println("resuming from " + cp.get().path() + " (epoch " + (start.epoch() + 1) + ", step " + start.step() + ")");
                } else {
                    out.println("--resume: no valid checkpoint in " + store.dir() + "; starting from scratch");
                }
                long from = start.step();
                RunReporter.cutForResume(cfg, hadoop, start.epoch(), from).ifPresent(side -> out.println(
                        "metrics.jsonl: what the earlier attempt logged after step " + from + " was moved to " + side));
            }
            if (net == null) {
                net = ModelFactory.build(cfg, m);
            }
            SparkSession spark = RunSession.start(cfg, how.master());
            try {
                return train(spark, data, m, manifestSha, store, net, start, resume);
            } catch (IOException | UncheckedIOException e) {
                throw new TrainingFailedException(e);
            } finally {
                spark.stop();
            }
        }
    }

    /** A fresh run needs an empty output.dir (the lock aside): refuse, or with --overwrite move the old run aside. */
    private void requireFreshDirectory(RunLock lock, boolean overwrite) throws IOException {
        List<String> there = lock.contents();
        if (there.isEmpty()) {
            return;
        }
        if (!overwrite) {
            String listed = String.join(", ", there.subList(0, Math.min(4, there.size()))) + (there.size() > 4 ? ", …" : "");
            throw new RunDirectoryRefusedException("output.dir " + cfg.output().dir() + " already holds a run (" + listed
                    + "); continue it with --resume, move it aside with --overwrite, or set another output.dir");
        }
        out.println("--overwrite: the earlier contents of " + cfg.output().dir() + " were moved to " + RunDirectory.display(lock.moveContentsAside()));
    }

    private void warn(String message) {
        out.println("warning: " + message);
    }

    private Outcome train(SparkSession spark, SplitReader data, DatasetManifest m, String manifestSha,
                          CheckpointStore store, Model net, TrainState start, boolean resume) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        TrainConfig t = cfg.train();
        int workers = t.workers() > 0 ? t.workers() : sc.defaultParallelism();
        DatasetProfile profile = DatasetProfile.forTraining(m, t.tbptt());
        BatchedSplit.BatchMaker maker = profile.batchMaker(ModelFactory.usesSparseLabels(net));
        int partitions = Math.max(2, workers * 2);
        BatchPlan trainPlan = profile.plan(data.records(DatasetFormat.TRAIN), t.batchPerWorker());
        EpochSplits trainSplits = new EpochSplits(epoch -> BatchedSplit.build(sc, "train", data.read(spark, DatasetFormat.TRAIN),
                trainPlan, maker, profile.shuffleSeed(t.seed(), epoch), partitions));
        BatchedSplit valid = data.hasSplit(DatasetFormat.VALID) ? fixedSplit(sc, spark, data, DatasetFormat.VALID, profile, maker, partitions) : null;
        Schedule schedule = new Schedule(trainPlan.batches(), workers, t.averagingFrequency(), t.epochs(), t.maxSteps());
        out.printf("training %s (%d parameters) on %s, engine %s: %d workers x %d minibatches of %d per round, %d rounds/epoch, %d steps%n",
                cfg.task(), net.numParams(), sc.master(), t.engine().name().toLowerCase(java.util.Locale.ROOT), workers,
                t.averagingFrequency(), t.batchPerWorker(),
                schedule.roundsPerEpoch(), schedule.totalSteps());
        EvalResult lastValid = null;
        try (TrainingEngine engine = TrainingEngines.create(t.engine(), t.shards(), sc, net,
                     new EngineSettings(t.batchPerWorker(), t.averagingFrequency(), t.prefetch(), workers, t.seed(),
                             profile.updatesPerBatch(t.tbptt())));
             RunListener listener = new RunListener(cfg, hadoop, resume, store, manifestSha, out, start.step(),
                     profile.languageModel(), profile.chanceAccuracy(),
                     Math.min(RunListener.MAX_GATE_STEPS, Math.max(1, m.seqLen)))) {
            TrainingLoop loop = TrainingLoop.builder(engine, schedule, e -> trainSplits.get(epochSplit(profile, e)))
                    .learningRate(step -> t.learningRateAt(step, schedule.totalSteps()))
                    .validation(valid == null ? null : n -> profile.reported(DistributedEvaluator.evaluate(sc, n, valid.all(), "valid")))
                    .layout(t.repartition() == TrainConfig.Repartition.NEVER ? BatchedSplit.Layout.KEEP : BatchedSplit.Layout.ASSIGN)
                    .checkpointEveryRounds(cfg.checkpoint().everyRounds())
                    .patience(t.earlyStoppingPatience())
                    // the update-rate probe: a validation minibatch, or the first training one where there is no
                    // validation split (IMDB), so every run reports its rates
                    .probe(valid != null ? valid.all().first() : trainSplits.get(epochSplit(profile, start.epoch())).all().first())
                    .unitsPerBatch(t.batchPerWorker(), profile.tokensPerBatch(t.batchPerWorker()))
                    .scoreUnits(profile.scoreUnits(t.tbptt()))
                    .listener(listener)
                    .maxSeconds(t.maxSeconds())
                    .build();
            TrainState end = loop.run(start);
            lastValid = listener.lastValid();
            EvalResult test = null;
            if (data.hasSplit(DatasetFormat.TEST)) {
                try (BatchedSplit testSplit = fixedSplit(sc, spark, data, DatasetFormat.TEST, profile, maker, partitions)) {
                    test = profile.reported(DistributedEvaluator.evaluate(sc, engine.network(), testSplit.all(), "test"));
                }
                out.println(test.summary());
                listener.logTest(end, test);
            }
            String modelDir = cfg.output().modelDir();
            ModelDirectory.Info info = new ModelDirectory.Info();
            info.task = m.task;
            info.kind = m.kind.name();
            info.windowsPerRow = profile.windowsPerRow();
            info.sparseLabels = ModelFactory.usesSparseLabels(engine.network());
            info.steps = end.step();
            ModelDirectory.write(modelDir, hadoop, engine.network(), info, cfg.render(), m, data.vocab());
            String report = listener.finish(engine.network(), end, lastValid, test, loop.stoppedBy());
            out.println("model: " + modelDir);
            out.println("report: " + report);
            return new Outcome(end, lastValid, test, report, modelDir, loop.stoppedBy());
        } finally {
            trainSplits.close();
            if (valid != null) {
                valid.close();
            }
        }
    }

    /** Which epoch's shuffle the training minibatches of epoch {@code e} are (one split for all epochs when they are not reshuffled). */
    private static int epochSplit(DatasetProfile profile, int e) {
        return profile.shufflesPerEpoch() ? e : 0;
    }

    /**
     * A validation or test split in index order: whole, or {@code train.eval-records} of its records. For
     * a language model those are the first windows (the text stays contiguous); otherwise they are spread
     * evenly over the split (record floor(j * all / limit) becomes record j), because prepared splits may
     * be stored in label order (IMDB: all negatives first).
     */
    private BatchedSplit fixedSplit(JavaSparkContext sc, SparkSession spark, SplitReader data, String split,
                                    DatasetProfile profile, BatchedSplit.BatchMaker maker, int partitions) {
        long all = data.records(split);
        long limit = cfg.train().evalRecordsOf(all);
        if (limit == all) {
            return BatchedSplit.build(sc, split, data.read(spark, split), profile.evalPlan(all), maker, null, partitions);
        }
        JavaRDD<Record> records;
        if (profile.languageModel()) {
            out.printf("%s: the first %d of %d windows (train.eval-records)%n", split, limit, all);
            records = data.read(spark, split).filter(r -> r.index < limit);
        } else {
            out.printf("%s: %d of %d records, evenly spaced (train.eval-records)%n", split, limit, all);
            records = data.read(spark, split).flatMap(r -> {
                long j = evenlySpacedPosition(r.index, limit, all);
                return j < 0 ? java.util.Collections.<Record>emptyIterator()
                        : java.util.List.of(new Record(j, r.offset, r.tokens, r.tokens2, r.label, r.targets)).iterator();
            });
        }
        return BatchedSplit.build(sc, split, records, profile.evalPlan(limit), maker, null, partitions);
    }

    /** Of {@code all} records, the {@code limit} at floor(j * all / limit), j = 0 … limit-1: record i's j, or -1 if not taken. */
    static long evenlySpacedPosition(long i, long limit, long all) {
        long j = Math.floorDiv(i * limit + all - 1, all);
        return j < limit && Math.floorDiv(j * all, limit) == i ? j : -1;
    }

    static TrainState fromCheckpoint(CheckpointState s) {
        Map<String, String> x = s.extra();
        return new TrainState(s.epoch(), s.roundInEpoch(), s.step(), s.round(),
                Double.parseDouble(x.getOrDefault("best_metric", "NaN")),
                Integer.parseInt(x.getOrDefault("bad_evals", "0")),
                Boolean.parseBoolean(x.getOrDefault("stopped", "false")));
    }

    static CheckpointState toCheckpoint(RunConfig cfg, String manifestSha, TrainState s) {
        Map<String, Long> seeds = new HashMap<>();
        seeds.put("train", cfg.train().seed());
        seeds.put("shuffle", cfg.train().seed() + s.epoch());
        Map<String, String> extra = new HashMap<>();
        extra.put("best_metric", Double.toString(s.bestMetric()));
        extra.put("bad_evals", Integer.toString(s.badEvals()));
        extra.put("stopped", Boolean.toString(s.stopped()));
        return CheckpointState.of(cfg, manifestSha, s.epoch(), s.round(), s.step(), s.rounds(), seeds, extra);
    }

    /** The current epoch's training minibatches, rebuilt (reshuffled) when the epoch changes. */
    private static final class EpochSplits implements AutoCloseable {
        private final java.util.function.IntFunction<BatchedSplit> build;
        private int epoch = -1;
        private BatchedSplit current;

        EpochSplits(java.util.function.IntFunction<BatchedSplit> build) {
            this.build = build;
        }

        BatchedSplit get(int e) {
            if (e != epoch) {
                close();
                current = build.apply(e);
                epoch = e;
            }
            return current;
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
                current = null;
            }
        }
    }
}
