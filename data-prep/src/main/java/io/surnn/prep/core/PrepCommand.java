package io.surnn.prep.core;

import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.HadoopPaths;
import io.surnn.prep.format.HadoopSettings;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Base class of every {@code surnn prep <task>} subcommand. HOW TO WRITE A TASK:
 *
 * <ol>
 *   <li>Subclass it, annotate with {@code @Command(name = "mytask", description = ...,
 *       mixinStandardHelpOptions = true)}, declare the task's own {@code @Option}s (the common ones —
 *       --output, --overwrite, --allow-empty, --shards, --on-bad-record, --master, --seed, --quiet — come from
 *       {@link CommonOptions}, available as {@link #common}).</li>
 *   <li>Implement {@link #prepare(PrepContext)}: check inputs with {@code ctx.requireInput(...)}
 *       (missing → PrepException → exit 2) and, for a file per split, {@code ctx.splitInput(split, file)}
 *       (missing, a directory or empty → exit 2, naming the split); fill {@code ctx.manifest()} (kind, vocab_size, seq_len,
 *       num_classes, labels, pad_id, options, sources, seed); build each split as a
 *       {@code JavaRDD<Row>} (or DataFrame) in {@code DatasetSchemas.of(kind)} with a dense
 *       {@code index} 0..n-1 and hand it to {@code ctx.writer().writeSplit(split, kind, rows, count,
 *       common.shards)}; write vocab.txt with {@code ctx.writer().writeVocab(list)}. Call
 *       {@code ctx.phase("train: parsing")} between steps.</li>
 *   <li>Bad input records: throw/catch {@link BadRecordException}(file, location, reason) inside the
 *       Spark functions and pass it to {@code ctx.badRecords().handle(e)} (see {@link BadRecords} for
 *       counting each record once). Never drop a record silently.</li>
 *   <li>Register the class in {@code io.surnn.prep.PrepMain}'s subcommand list.</li>
 * </ol>
 *
 * The base class does the rest: checks --output before starting Spark, starts or joins Spark,
 * registers the progress listener, commits the directory atomically (or deletes the temporary
 * directory on any failure), fills manifest.task/tool_version/created_at/skipped, and prints the
 * summary paragraph. Errors: throw {@link PrepException} or IllegalArgumentException for user
 * errors (one line, exit 2).
 */
public abstract class PrepCommand implements Callable<Integer> {
    @Mixin
    protected CommonOptions common;

    @Spec
    protected CommandSpec spec;

    /** Fills the manifest and writes the splits (see the class note). */
    protected abstract void prepare(PrepContext ctx) throws Exception;

    /** The task name (= the subcommand name). */
    protected String taskName() {
        return spec.name();
    }

    @Override
    public final Integer call() throws Exception {
        PrepSession session = PrepSession.current();
        PrintStream log = common.quiet ? new PrintStream(java.io.OutputStream.nullOutputStream()) : session.log();
        Path output = HadoopPaths.resolve(common.output);
        // Fail on an existing output before paying for Spark start-up (re-checked by the writer).
        try {
            FileSystem early = output.getFileSystem(HadoopSettings.current());
            DatasetWriter.checkOutput(early, output, common.overwrite);
        } catch (java.io.IOException e) {
            // file system not reachable without Spark's Hadoop configuration: the writer checks again
        }

        SparkSession spark = session.spark(common.master, "surnn prep " + taskName());
        ProgressListener progress = common.quiet ? null : new ProgressListener(log, 3000);
        if (progress != null) spark.sparkContext().addSparkListener(progress);
        long t0 = System.nanoTime();
        DatasetWriter writer = null;
        try {
            writer = new DatasetWriter(spark, output, common.overwrite, log).allowEmpty(common.allowEmpty);
            DatasetManifest m = new DatasetManifest();
            m.task = taskName();
            m.toolVersion = toolVersion();
            BadRecords bad = new BadRecords(common.onBadRecord, spark.sparkContext());
            PrepContext ctx = new PrepContext(spark, common, writer, bad, m, progress, log);
            prepare(ctx);
            if (m.kind == null) throw new IllegalStateException("task " + taskName() + " did not set manifest.kind");
            m.skipped = new java.util.LinkedHashMap<>(bad.counts());
            writer.commit(m);
            printSummary(session.out(), m, writer.output(), (System.nanoTime() - t0) / 1e9);
            return 0;
        } finally {
            if (writer != null) writer.abort();
            if (progress != null) spark.sparkContext().removeSparkListener(progress);
            session.release();
        }
    }

    private static void printSummary(PrintStream out, DatasetManifest m, Path output, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("prep %s: wrote %s (kind %s, vocab %,d", m.task, output, m.kind, m.vocabSize));
        if (m.seqLen > 0) sb.append(String.format(", seq_len %,d", m.seqLen));
        sb.append(String.format(") in %.1f s.", seconds));
        for (Map.Entry<String, DatasetManifest.Split> e : m.splits.entrySet()) {
            DatasetManifest.Split s = e.getValue();
            sb.append(String.format(" %s: %,d records", e.getKey(), s.records));
            if (s.tokens != null) sb.append(String.format(", %,d tokens", s.tokens));
            sb.append(String.format(", %d shard(s).", s.shards.size()));
        }
        long skipped = m.skipped.values().stream().mapToLong(Long::longValue).sum();
        sb.append(skipped == 0 ? " Skipped: none." : " Skipped: " + skipped + " " + m.skipped + ".");
        out.println(sb);
    }

    static String toolVersion() {
        String v = PrepCommand.class.getPackage().getImplementationVersion();
        return "surnn-data-prep " + (v != null ? v : "0.1.0-SNAPSHOT");
    }
}
