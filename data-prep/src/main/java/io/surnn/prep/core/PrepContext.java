package io.surnn.prep.core;

import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.HadoopPaths;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;

/**
 * What a task's {@link PrepCommand#prepare} gets: the Spark session, the common options, the
 * atomic {@link DatasetWriter}, the bad-record policy with its counter, the manifest to fill in, and
 * a way to report progress.
 */
public final class PrepContext {
    private final SparkSession spark;
    private final CommonOptions options;
    private final DatasetWriter writer;
    private final BadRecords bad;
    private final DatasetManifest manifest;
    private final ProgressListener progress;
    private final PrintStream log;

    PrepContext(SparkSession spark, CommonOptions options, DatasetWriter writer, BadRecords bad,
                DatasetManifest manifest, ProgressListener progress, PrintStream log) {
        this.spark = spark;
        this.options = options;
        this.writer = writer;
        this.bad = bad;
        this.manifest = manifest;
        this.progress = progress;
        this.log = log;
    }

    public SparkSession spark() { return spark; }

    public JavaSparkContext jsc() { return JavaSparkContext.fromSparkContext(spark.sparkContext()); }

    public Configuration hadoopConf() { return spark.sparkContext().hadoopConfiguration(); }

    public CommonOptions options() { return options; }

    public DatasetWriter writer() { return writer; }

    public BadRecords badRecords() { return bad; }

    /** The manifest being built: set kind, vocab_size, seq_len, labels, options, sources, seed. */
    public DatasetManifest manifest() { return manifest; }

    /** Prints a progress line and labels the following Spark progress lines with {@code phase}. */
    public void phase(String phase) {
        if (progress != null) progress.phase(phase);
        if (!options.quiet) log.println("[prep] " + phase);
    }

    /** The Hadoop path of a user-supplied input, which must exist (else a PrepException naming it). */
    public Path requireInput(String location, String what) throws IOException {
        Path p = HadoopPaths.resolve(location);
        FileSystem fs = p.getFileSystem(hadoopConf());
        if (!fs.exists(p)) throw new PrepException(what + " " + p + " does not exist");
        return fs.makeQualified(p);
    }

    /**
     * Checks the input file of one split and records it for the writer's messages: it must exist, be
     * a file (not a directory) and, unless {@code --allow-empty}, not be empty. Tasks that read one
     * file per split call this before reading it; a split that still ends with no records is refused
     * by the writer, naming this file.
     *
     * @return the qualified path
     * @throws PrepException one line naming the split and the path
     */
    public Path splitInput(String split, Path file) throws IOException {
        FileSystem fs = file.getFileSystem(hadoopConf());
        Path p = fs.makeQualified(file);
        org.apache.hadoop.fs.FileStatus st;
        try {
            st = fs.getFileStatus(p);
        } catch (java.io.FileNotFoundException e) {
            throw new PrepException("split " + split + ": input " + p + " does not exist");
        }
        if (st.isDirectory()) {
            throw new PrepException("split " + split + ": input " + p + " is a directory, not a file");
        }
        if (st.getLen() == 0 && !options.allowEmpty) {
            throw new PrepException("split " + split + ": input " + p + " is empty; pass --allow-empty to write "
                    + "an empty split on purpose");
        }
        writer.source(split, p);
        return p;
    }

    public PrintStream log() { return log; }
}
