package io.surnn.driver.cli;

import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.train.TrainingRun;
import io.surnn.prep.PrepMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code quickstart}: the README's first command. Generates a small ListOps dataset in-process with
 * data-prep, trains a small suGRU classifier on embedded Spark (local[*]) and prints the test
 * accuracy and where report.html is. Everything lands under {@code --out}.
 */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Generate a small ListOps dataset, train a small suGRU classifier on embedded Spark",
                "(under a minute on an idle 2-core machine), print test accuracy and the path of the HTML report."})
public final class QuickstartCommand implements Callable<Integer> {
    /** The quickstart run: a small, fast suGRU classifier; data.path and output.dir are set from --out. */
    static final String CONFIG = String.join("\n",
            "surnn {",
            "  task = quickstart",
            "  model { family = classifier, cell = sugru, embedding = 32, hidden = 64, layers = 1, dropout = 0.0, pooling = mean }",
            "  train {",
            "    epochs = 3, batch-per-worker = 32, averaging-frequency = 4, prefetch = 2",
            "    optimizer { name = adam, lr = 3e-3 }",
            "    warmup-steps = 10, decay = cosine, clip = 1.0",
            "  }",
            "  checkpoint { every-rounds = 10, keep = 2 }",
            "  spark.master = \"local[*]\"",
            "}");

    @Option(names = "--out", defaultValue = "runs/quickstart", paramLabel = "DIR",
            description = "Where the dataset, checkpoints, model and report go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--train", defaultValue = "2000", paramLabel = "N", description = "Training records. Default: ${DEFAULT-VALUE}.")
    int train;

    @Option(names = "--epochs", defaultValue = "3", paramLabel = "N", description = "Epochs. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--max-length", defaultValue = "100", paramLabel = "N",
            description = "Longest generated expression (tokens). Default: ${DEFAULT-VALUE}.")
    int maxLength;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a training setting (repeatable).")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (train < 10 || epochs < 1 || maxLength < 10) {
            throw new IllegalArgumentException("--train must be >= 10, --epochs >= 1, --max-length >= 10 (got "
                    + train + ", " + epochs + ", " + maxLength + ")");
        }
        Path data = out.resolve("data").toAbsolutePath();
        int evalRecords = Math.max(50, train / 10);
        System.out.println("quickstart: generating ListOps (" + train + "/" + evalRecords + "/" + evalRecords
                + " records, length < " + maxLength + ") into " + data);
        int rc = PrepMain.run(null, System.out, System.err, "listops", "--output", data.toString(), "--overwrite",
                "--train", Integer.toString(train), "--val", Integer.toString(evalRecords), "--test", Integer.toString(evalRecords),
                "--min-length", Integer.toString(Math.max(5, maxLength / 4)), "--max-length", Integer.toString(maxLength),
                "--shards", "2", "--master", "local[*]", "--quiet");
        if (rc != 0) {
            System.err.println("surnn quickstart: error: data preparation failed (exit " + rc + ")");
            return rc;
        }
        List<String> overrides = new ArrayList<>();
        overrides.add("data.path=" + data);
        overrides.add("output.dir=" + out.resolve("run").toAbsolutePath());
        overrides.add("train.epochs=" + epochs);
        overrides.addAll(sets);
        RunConfig cfg = ConfigLoader.parse(CONFIG, "quickstart (built-in config)", overrides);
        // Like the dataset above, a rerun starts afresh: an earlier quickstart run is moved aside (run.old-<time>).
        TrainingRun.Outcome o = new TrainingRun(cfg, System.out).run(new TrainingRun.Start(false, true, false, null));
        System.out.println();
        if (o.test() != null) {
            System.out.printf("quickstart: test accuracy %.4f (ListOps has 10 classes: chance is about 0.10-0.20)%n", o.test().accuracy());
        }
        System.out.println("quickstart: report " + o.reportPath());
        return 0;
    }
}
