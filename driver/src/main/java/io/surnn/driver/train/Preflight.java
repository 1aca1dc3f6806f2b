package io.surnn.driver.train;

import io.surnn.driver.data.SplitReader;
import io.surnn.prep.format.DatasetFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.UUID;

/**
 * Checks a command makes before it starts Spark, so bad input is named in one line (exit 2) instead
 * of failing minutes later inside a Spark job. The dataset's own checks (manifest, shard checksums,
 * vocab.txt against vocab_size) are {@link SplitReader#openVerified}; the model directory's are
 * {@link ModelDirectory#open}. Here: the run directory can be written, and the splits a command needs
 * have records.
 */
public final class Preflight {
    private static final String PROBE = ".surnn-write-probe-";

    private Preflight() {}

    /**
     * Fails unless {@code output.dir} can be written: creates it if needed and creates and deletes a
     * probe file in it, on its own Hadoop file system (a directory this check created is removed
     * again, so a failure later leaves nothing behind).
     *
     * @throws IllegalArgumentException naming the key {@code output.dir}, the path and the reason
     */
    public static void outputWritable(String outputDir, Configuration hadoopConf) {
        Path dir = new Path(outputDir);
        try {
            FileSystem fs = dir.getFileSystem(hadoopConf);
            dir = fs.makeQualified(dir);
            boolean existed;
            try {
                FileStatus st = fs.getFileStatus(dir);
                if (!st.isDirectory()) {
                    throw new IllegalArgumentException("output.dir = " + dir + ": is a file, not a directory");
                }
                existed = true;
            } catch (FileNotFoundException e) {
                existed = false;
            }
            if (!existed && !fs.mkdirs(dir)) {
                throw new IOException("cannot create the directory");
            }
            Path probe = new Path(dir, PROBE + UUID.randomUUID());
            fs.create(probe, false).close();
            fs.delete(probe, false);
            if (!existed) {
                fs.delete(dir, false);
            }
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("output.dir = " + dir + ": not writable ("
                    + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()) + ")", e);
        }
    }

    /**
     * Training needs records in the train split; an empty valid or test split (prep --allow-empty) is
     * skipped, with a note on {@code out}.
     *
     * @throws IllegalArgumentException naming the dataset and the split
     */
    public static void trainingSplits(SplitReader data, PrintStream out) {
        requireRecords(data, DatasetFormat.TRAIN, "data.path");
        for (String split : List.of(DatasetFormat.VALID, DatasetFormat.TEST)) {
            if (data.manifest().splits.containsKey(split) && data.records(split) == 0) {
                out.println("note: split " + split + " of " + data.root() + " has 0 records: no " + split + " evaluation");
            }
        }
    }

    /**
     * @param option how the user named the dataset ({@code data.path}, {@code --data}), for the message
     * @throws IllegalArgumentException when {@code split} is missing or has no records
     */
    public static void requireRecords(SplitReader data, String split, String option) {
        if (data.records(split) == 0) {
            throw new IllegalArgumentException(option + " " + data.root() + ": split " + split
                    + " has 0 records (its manifest.json says so; was it prepared from an empty input with --allow-empty?)");
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no message";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
