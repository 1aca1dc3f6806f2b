package io.surnn.driver.cli;

import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code train --config FILE [--set key=value …] [--resume | --overwrite] [--force-unlock] [--master URL]}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model from a HOCON config on Spark (parameter averaging).",
                "Writes metrics, checkpoints, the model and report.html under output.dir, which one run owns at a time",
                "(output.dir/run.lock). A fresh run into an output.dir that holds an earlier run is refused: choose",
                "--resume, --overwrite or another output.dir."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The run's config, e.g. conf/listops-tiny.conf.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one setting (repeatable), e.g. --set data.path=data/listops.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--resume", description = "Continue from the newest valid checkpoint in output.dir/checkpoints"
            + " (metrics.jsonl is cut back to that checkpoint's step).")
    boolean resume;

    @Option(names = "--overwrite", description = "Start afresh in an output.dir that holds an earlier run: first move"
            + " the whole directory aside to <output.dir>.old-<yyyyMMdd-HHmmss> (one rename; nothing is deleted).")
    boolean overwrite;

    @Option(names = "--force-unlock", description = "Remove output.dir/run.lock before starting, whoever holds it:"
            + " for a lock left by a run that is gone (e.g. a killed driver). A live owner then fails at its next checkpoint.")
    boolean forceUnlock;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (overrides spark.master and spark-submit's).")
    String master;

    @Override
    public Integer call() throws Exception {
        RunConfig cfg = ConfigLoader.load(config, sets);
        TrainingRun.Outcome o = new TrainingRun(cfg, System.out).run(new TrainingRun.Start(resume, overwrite, forceUnlock, master));
        if (o.test() != null) {
            System.out.println("test " + o.test().metricName() + ": " + String.format("%.4f", o.test().metric()));
        }
        return 0;
    }
}
