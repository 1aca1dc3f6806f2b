package io.surnn.prep.format;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A dataset directory opened for reading: what the driver uses to get at prepared data.
 *
 * <p>{@link #open} reads manifest.json and checks it is self-consistent (known splits, relative shard
 * paths inside the directory, record counts adding up) without touching the shards. {@link #verify}
 * then checks every shard's byte size and SHA-256 against the manifest by streaming it, so a
 * truncated or corrupted shard is reported by name before any training starts. {@link #load} gives a
 * split as a Spark DataFrame in the kind's schema ({@link DatasetSchemas}); Spark does not keep
 * file order when it reads Parquet, so sort by {@code index} where order matters.
 *
 * <p>Works on any Hadoop file system URI; plain local paths are accepted ({@link HadoopPaths}).
 */
public final class DatasetDirectory {
    private final Path root;
    private final FileSystem fs;
    private final DatasetManifest manifest;

    private DatasetDirectory(Path root, FileSystem fs, DatasetManifest manifest) {
        this.root = root;
        this.fs = fs;
        this.manifest = manifest;
    }

    /** Opens {@code location} (path or URI) with this JVM's Hadoop settings ({@link HadoopSettings#current}). */
    public static DatasetDirectory open(String location) throws IOException {
        return open(location, HadoopSettings.current());
    }

    /**
     * Opens {@code location} and validates its manifest.
     *
     * @throws FileNotFoundException if the directory or its manifest.json is missing (an incomplete
     *         directory has no manifest: it is written last)
     * @throws IOException if the manifest is unreadable or inconsistent; the message names the file
     */
    public static DatasetDirectory open(String location, Configuration conf) throws IOException {
        Path root = HadoopPaths.resolve(location);
        FileSystem fs = root.getFileSystem(conf);
        root = fs.makeQualified(root);
        Path mf = new Path(root, DatasetFormat.MANIFEST_FILE);
        if (!fs.exists(root)) {
            throw new FileNotFoundException("dataset directory " + root + " does not exist");
        }
        if (!fs.exists(mf)) {
            throw new FileNotFoundException(mf + " is missing: " + root
                    + " is not a complete dataset directory (run `surnn prep <task> --output ...`)");
        }
        DatasetManifest m;
        try (FSDataInputStream in = fs.open(mf)) {
            m = DatasetManifest.read(in, mf.toString());
        }
        validate(m, mf.toString());
        return new DatasetDirectory(root, fs, m);
    }

    private static void validate(DatasetManifest m, String where) throws IOException {
        if (m.kind == null) throw new IOException(where + ": kind is missing");
        if (m.task == null || m.task.isBlank()) throw new IOException(where + ": task is missing");
        if (m.splits == null || m.splits.isEmpty()) throw new IOException(where + ": no splits");
        for (Map.Entry<String, DatasetManifest.Split> e : m.splits.entrySet()) {
            String split = e.getKey();
            if (!DatasetFormat.SPLITS.contains(split)) {
                throw new IOException(where + ": unknown split '" + split + "' (expected one of "
                        + DatasetFormat.SPLITS + ")");
            }
            long sum = 0;
            for (DatasetManifest.Shard sh : e.getValue().shards) {
                if (sh.file == null || sh.file.startsWith("/") || sh.file.contains("..")
                        || sh.file.contains(":")) {
                    throw new IOException(where + ": split " + split + ": shard path '" + sh.file
                            + "' must be relative to the dataset directory");
                }
                if (sh.sha256 == null || !sh.sha256.matches("[0-9a-f]{64}")) {
                    throw new IOException(where + ": shard " + sh.file + ": sha256 '" + sh.sha256
                            + "' is not 64 hex digits");
                }
                if (sh.bytes < 0 || sh.records < 0) {
                    throw new IOException(where + ": shard " + sh.file + ": negative bytes or records");
                }
                sum += sh.records;
            }
            if (sum != e.getValue().records) {
                throw new IOException(where + ": split " + split + " declares " + e.getValue().records
                        + " records but its shards hold " + sum);
            }
        }
        if (m.vocabSize <= 0) throw new IOException(where + ": vocab_size " + m.vocabSize + " must be > 0");
    }

    public DatasetManifest manifest() { return manifest; }

    public Path root() { return root; }

    public DatasetFormat.Kind kind() { return manifest.kind; }

    public boolean hasSplit(String split) { return manifest.splits.containsKey(split); }

    private DatasetManifest.Split split(String split) {
        DatasetManifest.Split s = manifest.splits.get(split);
        if (s == null) {
            throw new IllegalArgumentException(root + " has no split '" + split + "' (it has "
                    + manifest.splits.keySet() + ")");
        }
        return s;
    }

    /** Absolute paths of a split's shards, in shard order (= index order). */
    public List<Path> shardPaths(String split) {
        List<Path> out = new ArrayList<>();
        for (DatasetManifest.Shard sh : split(split).shards) out.add(new Path(root, sh.file));
        return out;
    }

    /** Checks every shard of every split, and the vocabulary file if named. */
    public void verify() throws IOException {
        for (String s : manifest.splits.keySet()) verify(s);
        if (manifest.vocabFile != null && !fs.exists(new Path(root, manifest.vocabFile))) {
            throw new FileNotFoundException(new Path(root, manifest.vocabFile) + " is named by the manifest but missing");
        }
    }

    /**
     * Checks one split's shards exist with the manifest's byte size and SHA-256.
     *
     * @throws IOException naming the shard that is missing, truncated/extended, or corrupted
     */
    public void verify(String splitName) throws IOException {
        for (DatasetManifest.Shard sh : split(splitName).shards) {
            Path p = new Path(root, sh.file);
            if (!fs.exists(p)) throw new FileNotFoundException("shard " + p + " is missing");
            FileStatus st = fs.getFileStatus(p);
            if (st.getLen() != sh.bytes) {
                throw new IOException("shard " + p + " has " + st.getLen() + " bytes, manifest says "
                        + sh.bytes + " (truncated or replaced)");
            }
            String got = HadoopPaths.sha256(fs, p);
            if (!got.equals(sh.sha256)) {
                throw new IOException("shard " + p + " is corrupted: sha256 " + got + " != manifest "
                        + sh.sha256);
            }
        }
    }

    /** The vocabulary (line number = id), or an empty list when the dataset has no vocabulary file. */
    public List<String> readVocab() throws IOException {
        List<String> out = new ArrayList<>();
        if (manifest.vocabFile == null) return out;
        Path p = new Path(root, manifest.vocabFile);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(p), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) out.add(line);
        }
        if (out.size() != manifest.vocabSize) {
            throw new IOException(p + " has " + out.size() + " lines, manifest vocab_size is " + manifest.vocabSize);
        }
        return out;
    }

    /**
     * A split as a DataFrame in the kind's schema. Row order is NOT guaranteed (sort by
     * {@code index} if it matters). Does not verify checksums: call {@link #verify(String)} first.
     */
    public Dataset<Row> load(SparkSession spark, String splitName) {
        List<Path> paths = shardPaths(splitName);
        if (paths.isEmpty()) {
            return spark.createDataFrame(new ArrayList<Row>(), DatasetSchemas.of(manifest.kind));
        }
        String[] ps = paths.stream().map(Path::toString).toArray(String[]::new);
        Dataset<Row> df = spark.read().schema(DatasetSchemas.of(manifest.kind)).parquet(ps);
        return df;
    }
}
