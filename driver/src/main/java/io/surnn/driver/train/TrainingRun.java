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
import io.surnn.driver.data.SplitReader;
import io.surnn.driver.engine.EngineSettings;
import io.surnn.driver.engine.TrainingEngine;
import io.surnn.driver.engine.TrainingEngines;
import io.surnn.driver.eval.DistributedEvaluator;
import io.surnn.driver.eval.EvalResult;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code train} command from start to finish: verify the dataset (before Spark starts), build or
 * restore the model, start Spark, cut the splits into cached minibatches, run the {@link
 * TrainingLoop} with the reporter and checkpoint store attached, evaluate on test, write the model
 * directory and the report.
 *
 * <p>Data order: classification and copy records are reshuffled every epoch with seed
 * {@code train.seed + epoch} (so a resumed epoch sees the same order); LM windows keep stream order.
 */
public final class TrainingRun {
    /** What a finished run reports back to the CLI. */
    public record Outcome(TrainState state, EvalResult valid, EvalResult test, String reportPath, String modelDir) {}

    private final RunConfig cfg;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();

    public TrainingRun(RunConfig cfg, PrintStream out) {
        this.cfg = cfg;
        this.out = out;
    }

    public Outcome run(boolean resume, String masterOverride) throws IOException {
        SplitReader data = SplitReader.openVerified(cfg.data().path(), hadoop);
        DatasetManifest m = data.manifest();
        String manifestSha = ManifestChecksum.of(cfg.data().path(), hadoop);
        CheckpointStore store = CheckpointStore.forRun(cfg, hadoop);
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
        }
        if (net == null) {
            net = ModelFactory.build(cfg, m);
        }
        SparkSession spark = RunSession.start(cfg, masterOverride);
        try {
            return train(spark, data, m, manifestSha, store, net, start, resume);
        } finally {
            spark.stop();
        }
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
        out.printf("training %s (%d parameters) on %s: %d workers x %d minibatches of %d per round, %d rounds/epoch, %d steps%n",
                cfg.task(), net.numParams(), sc.master(), workers, t.averagingFrequency(), t.batchPerWorker(),
                schedule.roundsPerEpoch(), schedule.totalSteps());
        EvalResult lastValid = null;
        try (TrainingEngine engine = TrainingEngines.create(t.engine(), t.shards(), sc, net,
                     new EngineSettings(t.batchPerWorker(), t.averagingFrequency(), t.prefetch(), workers, t.seed(),
                             profile.updatesPerBatch(t.tbptt())));
             RunListener listener = new RunListener(cfg, hadoop, resume, store, manifestSha, out, start.step(),
                     profile.languageModel())) {
            TrainingLoop loop = TrainingLoop.builder(engine, schedule, e -> trainSplits.get(profile.shufflesPerEpoch() ? e : 0))
                    .learningRate(step -> t.learningRateAt(step, schedule.totalSteps()))
                    .validation(valid == null ? null : n -> DistributedEvaluator.evaluate(sc, n, valid.all(), "valid"))
                    .layout(t.repartition() == TrainConfig.Repartition.NEVER ? BatchedSplit.Layout.KEEP : BatchedSplit.Layout.ASSIGN)
                    .checkpointEveryRounds(cfg.checkpoint().everyRounds())
                    .patience(t.earlyStoppingPatience())
                    .probe(valid != null ? valid.all().first() : null)
                    .unitsPerBatch(t.batchPerWorker(), profile.tokensPerBatch(t.batchPerWorker()))
                    .scoreUnits(profile.scoreUnits(t.tbptt()))
                    .listener(listener)
                    .build();
            TrainState end = loop.run(start);
            lastValid = listener.lastValid();
            EvalResult test = null;
            if (data.hasSplit(DatasetFormat.TEST)) {
                try (BatchedSplit testSplit = fixedSplit(sc, spark, data, DatasetFormat.TEST, profile, maker, partitions)) {
                    test = DistributedEvaluator.evaluate(sc, engine.network(), testSplit.all(), "test");
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
            String report = listener.finish(engine.network(), end, lastValid, test);
            out.println("model: " + modelDir);
            out.println("report: " + report);
            return new Outcome(end, lastValid, test, report, modelDir);
        } finally {
            trainSplits.close();
            if (valid != null) {
                valid.close();
            }
        }
    }

    private static BatchedSplit fixedSplit(JavaSparkContext sc, SparkSession spark, SplitReader data, String split,
                                           DatasetProfile profile, BatchedSplit.BatchMaker maker, int partitions) {
        return BatchedSplit.build(sc, split, data.read(spark, split), profile.evalPlan(data.records(split)), maker, null, partitions);
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
