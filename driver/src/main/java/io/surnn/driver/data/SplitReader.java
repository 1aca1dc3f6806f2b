package io.surnn.driver.data;

import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The driver's entry to a dataset directory: opens it through data-prep's {@link DatasetDirectory},
 * verifies the manifest, every shard's size and SHA-256 and vocab.txt's length up front (so a
 * corrupted or truncated shard, or a vocabulary that does not match the manifest's vocab_size, is
 * named before any Spark job or training starts), then reads splits as {@link Record}s.
 */
public final class SplitReader {
    private final DatasetDirectory dir;

    private SplitReader(DatasetDirectory dir) {
        this.dir = dir;
    }

    /**
     * Opens and fully verifies {@code location} (any Hadoop FS URI or local path).
     *
     * @throws IllegalArgumentException one line naming the directory, file or shard at fault
     */
    public static SplitReader openVerified(String location, Configuration hadoopConf) {
        try {
            DatasetDirectory d = DatasetDirectory.open(location, hadoopConf);
            d.verify();
            d.readVocab();   // vocab.txt's line count against the manifest's vocab_size
            return new SplitReader(d);
        } catch (IOException e) {
            throw new IllegalArgumentException("dataset " + location + ": " + e.getMessage(), e);
        }
    }

    public DatasetManifest manifest() {
        return dir.manifest();
    }

    public DatasetFormat.Kind kind() {
        return dir.kind();
    }

    /**
     * True when the dataset has {@code split} with at least one record. An empty split (written on
     * purpose with {@code prep --allow-empty}) counts as absent: no validation or test on it.
     */
    public boolean hasSplit(String split) {
        DatasetManifest.Split s = dir.manifest().splits.get(split);
        return dir.hasSplit(split) && s != null && s.records > 0;
    }

    public long records(String split) {
        DatasetManifest.Split s = dir.manifest().splits.get(split);
        if (s == null) {
            throw new IllegalArgumentException("dataset " + dir.root() + " has no split '" + split + "' (it has "
                    + dir.manifest().splits.keySet() + ")");
        }
        return s.records;
    }

    /** The vocabulary (line = id), or empty when the dataset has none. */
    public java.util.List<String> vocab() {
        try {
            return dir.readVocab();
        } catch (IOException e) {
            throw new UncheckedIOException("dataset " + dir.root() + ": cannot read the vocabulary: " + e.getMessage(), e);
        }
    }

    public String root() {
        return dir.root().toString();
    }

    /** A split's records, read on the executors (row order unspecified; each record keeps its index). */
    public JavaRDD<Record> read(SparkSession spark, String split) {
        records(split);
        DatasetFormat.Kind kind = dir.kind();
        return dir.load(spark, split).javaRDD().map(row -> Record.fromRow(row, kind));
    }
}
