package io.surnn.driver.cli;

import io.surnn.driver.config.SparkConfig;
import io.surnn.driver.data.DatasetProfile;
import io.surnn.driver.data.BatchedSplit;
import io.surnn.driver.data.SplitReader;
import io.surnn.driver.eval.DistributedEvaluator;
import io.surnn.driver.eval.EvalResult;
import io.surnn.driver.train.ModelDirectory;
import io.surnn.driver.train.Preflight;
import io.surnn.driver.train.RunSession;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.HadoopSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Model;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code evaluate --model DIR --data DIR [--split test]}: perplexity or accuracy across executors. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Perplexity (language models) or accuracy (classifiers) of a trained model on a dataset split.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    ModelOption model;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A dataset directory of the same task.")
    String data;

    @Option(names = "--split", defaultValue = "test", paramLabel = "NAME", description = "train, valid or test. Default: ${DEFAULT-VALUE}.")
    String split;

    @Option(names = "--batch", defaultValue = "32", paramLabel = "N", description = "Minibatch size. Default: ${DEFAULT-VALUE}.")
    int batch;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master. Default: spark-submit's, else local[*].")
    String master;

    @Override
    public Integer call() throws Exception {
        if (!DatasetFormat.SPLITS.contains(split)) {
            throw new IllegalArgumentException("--split " + split + ": expected one of " + DatasetFormat.SPLITS);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        Configuration hadoop = HadoopSettings.current();
        ModelDirectory md = model.open();
        SplitReader reader = SplitReader.openVerified(data, hadoop);
        Preflight.requireRecords(reader, split, "--data");
        DatasetManifest m = reader.manifest();
        DatasetProfile profile = DatasetProfile.forModel(m, md.info().windowsPerRow);
        profile.requireKind(md.info().kind, data, md.info().task);
        Model net = md.network();
        SparkConf conf = new SparkConf();
        if (master != null) {
            conf.setMaster(master);
        }
        SparkConfig.nameIfUnnamed(conf, "suRNN evaluate");
        SparkSession spark = RunSession.start(conf);
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            try (BatchedSplit s = BatchedSplit.build(sc, split, reader.read(spark, split), profile.plan(reader.records(split), batch),
                    profile.batchMaker(md.info().sparseLabels), null,
                    Math.max(2, sc.defaultParallelism() * 2))) {
                EvalResult r = profile.reported(DistributedEvaluator.evaluate(sc, net, s.all(), split));
                System.out.println(r.summary());
            }
        } finally {
            spark.stop();
        }
        return 0;
    }
}
