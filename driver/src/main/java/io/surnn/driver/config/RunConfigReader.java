package io.surnn.driver.config;

import com.typesafe.config.Config;
import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.OutputSoftmax;
import io.surnn.ops.models.Readout;

/**
 * Reads the resolved {@code surnn} tree into the typed records: one method per record, each key with
 * its range. Every bad value is collected ({@link ConfigReader}) and all are thrown together at the
 * end; cross-key rules (weight tying) are checked only when the keys they relate were read cleanly.
 */
final class RunConfigReader {
    private RunConfigReader() {}

    static RunConfig read(ConfigReader r, String source, Config surnn) {
        String task = r.nonEmptyString("task", "");
        DataConfig data = new DataConfig(r.nonEmptyString("data.path",
                "the dataset directory written by `surnn prep`, e.g. --set data.path=data/listops"));
        ModelConfig model = model(r);
        TrainConfig train = train(r);
        CheckpointConfig checkpoint = new CheckpointConfig(
                r.intAtLeast("checkpoint.every-rounds", 0), r.intAtLeast("checkpoint.keep", 1));
        OutputConfig output = new OutputConfig(r.nonEmptyString("output.dir", ""));
        SparkConfig spark = new SparkConfig(r.nonEmptyString("spark.master", ""),
                r.nonEmptyString("spark.app-name", ""), r.flatScalars("spark.conf"));
        r.check();
        return new RunConfig(task, data, model, train, checkpoint, output, spark, source, surnn);
    }

    private static ModelConfig model(ConfigReader r) {
        GateConfig gate = new GateConfig(
                r.choice("model.gate.mode", GateMode.class),
                r.intAtLeast("model.gate.harmonics", 1),
                r.choice("model.gate.surrogate", Surrogate.class),
                r.real("model.gate.width", 0, false, Double.MAX_VALUE, true),
                r.real("model.gate.initial-update-rate", 0, false, 1, true));
        int before = r.problemCount();
        ModelConfig.Family family = r.choice("model.family", ModelConfig.Family.class);
        int embedding = r.intAtLeast("model.embedding", 1);
        int hidden = r.intAtLeast("model.hidden", 1);
        OutputSoftmax softmax = r.choice("model.output.softmax", OutputSoftmax.class);
        int[] cutoffs = r.autoOrIncreasingInts("model.output.cutoffs");
        int shrink = r.intAtLeast("model.output.tail-shrink", 1);
        boolean tie = r.bool("model.output.tie-embeddings");
        boolean related = r.problemCount() == before;   // family, sizes and the output keys all read cleanly
        if (related && family != ModelConfig.Family.LM && (tie || softmax != OutputSoftmax.FULL)) {
            r.report(r.error(tie ? "model.output.tie-embeddings" : "model.output.softmax",
                    "applies only to model.family = lm (family is " + family.configName() + ")"));
        } else if (related && tie && embedding != hidden) {
            r.report(r.error("model.output.tie-embeddings", "needs model.embedding = model.hidden (they are "
                    + embedding + " and " + hidden + ")"));
        }
        return new ModelConfig(family, r.choice("model.cell", CellType.class), gate,
                r.bool("model.sparse"), embedding, hidden, r.intAtLeast("model.layers", 1),
                r.real("model.dropout", 0, true, 1, false),
                r.choice("model.pooling", Readout.class),
                new ModelConfig.Output(softmax, cutoffs, shrink, tie));
    }

    private static TrainConfig train(ConfigReader r) {
        long maxSteps = r.integer("train.max-steps", -1, Long.MAX_VALUE);
        if (maxSteps == 0) {
            r.report(r.error("train.max-steps", "must be -1 (no limit) or >= 1"));
        }
        double maxSeconds = r.real("train.max-seconds", -1, true, Double.MAX_VALUE, true);
        if (maxSeconds != -1 && !(maxSeconds > 0)) {
            r.report(r.error("train.max-seconds", "must be -1 (no limit) or > 0 (got " + maxSeconds + ")"));
        }
        long evalRecords = r.integer("train.eval-records", -1, Long.MAX_VALUE);
        if (evalRecords == 0) {
            r.report(r.error("train.eval-records", "must be -1 (whole splits) or >= 1"));
        }
        OptimizerConfig optimizer = new OptimizerConfig(
                r.choice("train.optimizer.name", OptimizerConfig.CHOICES),
                r.real("train.optimizer.lr", 0, false, Double.MAX_VALUE, true),
                r.real("train.optimizer.weight-decay", 0, true, Double.MAX_VALUE, true));
        return new TrainConfig(
                r.intAtLeast("train.epochs", 1),
                maxSteps,
                r.integer("train.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                r.intAtLeast("train.batch-per-worker", 1),
                r.intAtLeast("train.averaging-frequency", 1),
                r.intAtLeast("train.prefetch", 0),
                r.intAtLeast("train.workers", 0),
                r.choice("train.repartition", TrainConfig.Repartition.class),
                optimizer,
                r.intAtLeast("train.warmup-steps", 0),
                r.choice("train.decay", TrainConfig.Decay.class),
                r.real("train.min-lr-fraction", 0, true, 1, true),
                r.real("train.clip", 0, true, Double.MAX_VALUE, true),
                r.intAtLeast("train.tbptt", 1),
                r.intAtLeast("train.early-stopping.patience", 0),
                r.choice("train.engine", TrainConfig.Engine.class),
                r.intAtLeast("train.shards", 0),
                maxSeconds,
                evalRecords);
    }
}
