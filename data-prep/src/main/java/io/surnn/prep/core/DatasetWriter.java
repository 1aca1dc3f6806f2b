package io.surnn.prep.core;

import io.surnn.prep.format.ContiguousPartitioner;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.DatasetSchemas;
import io.surnn.prep.format.HadoopPaths;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple2;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a dataset directory atomically.
 *
 * <p>Everything goes into a temporary directory next to the output ({@code PARENT/.NAME.tmp-<uuid>}):
 * per split, Spark writes the rows as Parquet with one task per shard; the shards are renamed to
 * {@code split/part-NNNNN.parquet}, then streamed once to get their byte size and SHA-256.
 * {@link #commit} writes manifest.json LAST and renames the temporary directory onto the output
 * (moving an existing output aside first under --overwrite, and deleting it only after the rename
 * succeeded). {@link #abort} deletes the temporary directory, so after a failure there is never a
 * directory at the output path that looks complete.
 *
 * <p>Shard assignment: rows are keyed by {@code index} and range-partitioned by a
 * {@link ContiguousPartitioner} rounding up (shard k holds indexes [ceil(k·n/N), ceil((k+1)·n/N))),
 * then sorted within each shard; a pass-through check ({@link DenseIndexCheck}) fails the job if a
 * split's indexes are not exactly 0..n-1. So the output depends only on the rows, not on the number
 * of executors or input partitions.
 *
 * <p>A split with no records is refused (a PrepException naming the split and, when the task
 * recorded it with {@link #source}, its input) unless {@link #allowEmpty} was set: an empty TSV or
 * a wrong input directory should stop prep, not become a dataset that fails later in training.
 */
public final class DatasetWriter {
    private static final Pattern SPARK_PART = Pattern.compile("part-(\\d{5})-.*\\.parquet");

    private final SparkSession spark;
    private final FileSystem fs;
    private final Path output;
    private final Path temp;
    private final boolean overwrite;
    private final PrintStream log;
    private final Map<String, DatasetManifest.Split> splits = new TreeMap<>(
            (a, b) -> Integer.compare(DatasetFormat.SPLITS.indexOf(a), DatasetFormat.SPLITS.indexOf(b)));
    private final Map<String, Path> sources = new LinkedHashMap<>();
    private boolean allowEmpty;
    private boolean closed;

    /**
     * Creates the temporary directory for {@code output}.
     *
     * @throws PrepException if the output exists, is not empty and {@code overwrite} is false
     */
    public DatasetWriter(SparkSession spark, Path output, boolean overwrite, PrintStream log) throws IOException {
        this.spark = spark;
        this.fs = output.getFileSystem(spark.sparkContext().hadoopConfiguration());
        this.output = fs.makeQualified(output);
        this.overwrite = overwrite;
        this.log = log;
        checkOutput(fs, this.output, overwrite);
        Path parent = this.output.getParent();
        if (parent == null) throw new PrepException("--output " + output + " must not be a file system root");
        this.temp = new Path(parent, "." + this.output.getName() + ".tmp-" + UUID.randomUUID());
        if (!fs.mkdirs(temp)) throw new IOException("cannot create " + temp);
    }

    /** Fails (PrepException) if {@code output} is a non-empty directory or a file and not overwriting. */
    public static void checkOutput(FileSystem fs, Path output, boolean overwrite) throws IOException {
        if (!overwrite && !HadoopPaths.isAbsentOrEmpty(fs, output)) {
            throw new PrepException("output " + output + " exists and is not empty; pass --overwrite to replace it");
        }
    }

    /**
     * Whether a split with no records may be written (prep's {@code --allow-empty}); by default it is
     * an error, so an empty or wrong input never turns silently into a 0-record split.
     */
    public DatasetWriter allowEmpty(boolean allow) {
        this.allowEmpty = allow;
        return this;
    }

    public boolean allowsEmpty() { return allowEmpty; }

    /** Records the input a split is read from, so an empty result can name it ({@link PrepContext#splitInput}). */
    public void source(String split, Path input) {
        sources.put(split, input);
    }

    /** The temporary directory (for task-specific extra files; prefer {@link #createExtra}). */
    public Path tempDir() { return temp; }

    public Path output() { return output; }

    public FileSystem fs() { return fs; }

    /** The splits written so far, in {@link DatasetFormat#SPLITS} order. */
    public Map<String, DatasetManifest.Split> splits() { return new LinkedHashMap<>(splits); }

    /**
     * Writes one split from a DataFrame in the schema of {@code kind} ({@link DatasetSchemas}).
     * Counts the rows first (persisting them), so prefer the RDD form when the count is known.
     */
    public DatasetManifest.Split writeSplit(String split, DatasetFormat.Kind kind, Dataset<Row> rows, int shards)
            throws IOException {
        if (!DatasetSchemas.matches(kind, rows.schema())) {
            throw new IllegalArgumentException("split " + split + ": schema " + rows.schema().simpleString()
                    + " is not the " + kind + " schema " + DatasetSchemas.of(kind).simpleString());
        }
        return writeSplit(split, kind, rows.toJavaRDD(), -1, shards);
    }

    /**
     * Writes one split. {@code rows} are in the schema of {@code kind} (column 0 = index, long; array
     * columns as int[], java.util.List or Scala Seq); {@code count} is the number of rows if the
     * caller knows it (saves a pass), else -1 (the rows are then persisted and counted).
     * Split.tokens is set to the total length of the token columns (tokens, tokens2); an LM task
     * overwrites it with its stream length.
     */
    public DatasetManifest.Split writeSplit(String split, DatasetFormat.Kind kind, JavaRDD<Row> rows, long count,
                                            int shards) throws IOException {
        if (!DatasetFormat.SPLITS.contains(split)) {
            throw new IllegalArgumentException("split '" + split + "' is not one of " + DatasetFormat.SPLITS);
        }
        if (splits.containsKey(split)) throw new IllegalStateException("split " + split + " written twice");
        if (shards < 1) throw new PrepException("--shards must be >= 1, not " + shards);
        boolean persisted = false;
        if (count < 0) {
            rows = rows.persist(StorageLevel.MEMORY_AND_DISK_SER());
            persisted = true;
            count = rows.count();
        }
        try {
            if (count == 0 && !allowEmpty) {
                Path from = sources.get(split);
                throw new PrepException("split " + split + ": no records"
                        + (from != null ? " from " + from : "") + " (empty input, or every record bad?); "
                        + "pass --allow-empty to write an empty split on purpose");
            }
            DatasetManifest.Split s = count == 0 ? new DatasetManifest.Split()
                    : writeShards(split, kind, rows, count, (int) Math.min(shards, count));
            s.records = count;
            if (count == 0) s.tokens = 0L;
            splits.put(split, s);
            log.printf("[prep] %s: %,d records in %d shard(s)%n", split, count, s.shards.size());
            return s;
        } finally {
            if (persisted) rows.unpersist(false);
        }
    }

    private DatasetManifest.Split writeShards(String split, DatasetFormat.Kind kind, JavaRDD<Row> rows, long n,
                                              int shards) throws IOException {
        StructType schema = DatasetSchemas.of(kind);
        int[] tokenCols = tokenColumns(schema);
        LongAccumulator tokens = spark.sparkContext().longAccumulator("surnn.prep.tokens." + split);
        ContiguousPartitioner byShard = new ContiguousPartitioner(0, n, shards, ContiguousPartitioner.Rounding.UP,
                "split " + split + ": record index");
        JavaPairRDD<Long, Row> keyed = rows.mapToPair(r -> new Tuple2<>(inRange(r.getLong(0), n, split), r));
        JavaRDD<Row> sorted = keyed
                .repartitionAndSortWithinPartitions(byShard)
                .values()
                .mapPartitionsWithIndex((p, it) -> new DenseIndexCheck(it, split,
                        byShard.start(p), byShard.start(p + 1), tokenCols, tokens), true);
        Path staging = new Path(temp, "_staging-" + split);
        spark.createDataFrame(sorted, schema).write().option("compression", "snappy").parquet(staging.toString());

        Path dir = new Path(temp, split);
        fs.mkdirs(dir);
        DatasetManifest.Split s = new DatasetManifest.Split();
        List<Path> parts = new ArrayList<>(shards);
        for (int i = 0; i < shards; i++) parts.add(null);
        for (FileStatus st : fs.listStatus(staging)) {
            Matcher m = SPARK_PART.matcher(st.getPath().getName());
            if (!m.matches()) continue;
            int p = Integer.parseInt(m.group(1));
            if (p >= shards || parts.get(p) != null) {
                throw new IOException("unexpected Spark output file " + st.getPath());
            }
            parts.set(p, st.getPath());
        }
        for (int p = 0; p < shards; p++) {
            if (parts.get(p) == null) throw new IOException("split " + split + ": Spark wrote no file for shard " + p);
            String rel = String.format("%s/part-%05d.parquet", split, p);
            Path dst = new Path(temp, rel);
            if (!fs.rename(parts.get(p), dst)) throw new IOException("cannot rename " + parts.get(p) + " to " + dst);
            DatasetManifest.Shard sh = new DatasetManifest.Shard();
            sh.file = rel;
            sh.bytes = fs.getFileStatus(dst).getLen();
            sh.sha256 = HadoopPaths.sha256(fs, dst);
            sh.records = byShard.start(p + 1) - byShard.start(p);
            s.shards.add(sh);
        }
        fs.delete(staging, true);
        s.tokens = tokens.value();
        return s;
    }

    /** A record index, checked to lie in [0, n) before it picks a shard. */
    private static long inRange(long idx, long n, String split) {
        if (idx < 0 || idx >= n) {
            throw new IllegalStateException("split " + split + ": record index " + idx
                    + " is outside [0, " + n + "): indexes must be dense 0..n-1");
        }
        return idx;
    }

    private static int[] tokenColumns(StructType schema) {
        List<Integer> cols = new ArrayList<>();
        for (int i = 0; i < schema.fields().length; i++) {
            String name = schema.fields()[i].name();
            if (schema.fields()[i].dataType() instanceof ArrayType && !name.equals(DatasetFormat.COL_TARGETS)) {
                cols.add(i);
            }
        }
        return cols.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Writes vocab.txt (one token per line, line number = id). Tokens must not contain line breaks. */
    public void writeVocab(List<String> vocab) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(
                createExtra(DatasetFormat.VOCAB_FILE), StandardCharsets.UTF_8))) {
            for (int i = 0; i < vocab.size(); i++) {
                String t = vocab.get(i);
                if (t.indexOf('\n') >= 0 || t.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("vocabulary token " + i + " contains a line break");
                }
                w.write(t);
                w.write('\n');
            }
        }
    }

    /** Creates a file inside the (temporary) dataset directory, e.g. "tsv/basic_train.tsv". */
    public OutputStream createExtra(String relPath) throws IOException {
        if (relPath.startsWith("/") || relPath.contains("..")) {
            throw new IllegalArgumentException("extra file path must be relative: " + relPath);
        }
        FSDataOutputStream out = fs.create(new Path(temp, relPath), false);
        return out;
    }

    /**
     * Completes the directory: fills {@code m.splits} and {@code created_at} (if unset), writes
     * manifest.json last and moves the directory into place.
     */
    public void commit(DatasetManifest m) throws IOException {
        if (closed) throw new IllegalStateException("writer already committed or aborted");
        m.splits = splits();
        if (m.createdAt == null) m.createdAt = Instant.now().toString();
        try (OutputStream out = fs.create(new Path(temp, DatasetFormat.MANIFEST_FILE), false)) {
            m.write(out);
        }
        dropChecksumFiles(temp);
        Path old = null;
        if (fs.exists(output)) {
            checkOutput(fs, output, overwrite);
            old = new Path(output.getParent(), "." + output.getName() + ".old-" + UUID.randomUUID());
            if (!fs.rename(output, old)) throw new IOException("cannot move existing " + output + " aside");
        }
        if (!fs.rename(temp, output)) {
            if (old != null) fs.rename(old, output);
            throw new IOException("cannot rename " + temp + " to " + output);
        }
        closed = true;
        if (old != null) fs.delete(old, true);
    }

    /** Deletes the temporary directory (idempotent; safe after commit). */
    public void abort() {
        if (closed) return;
        closed = true;
        try {
            fs.delete(temp, true);
        } catch (IOException e) {
            log.println("[prep] warning: could not delete temporary directory " + temp + ": " + e.getMessage());
        }
    }

    /** Local file systems leave Hadoop .crc side files; they are not part of the dataset. */
    private void dropChecksumFiles(Path dir) throws IOException {
        if (!(fs instanceof ChecksumFileSystem)) return;
        FileSystem raw = ((ChecksumFileSystem) fs).getRawFileSystem();
        RemoteIterator<LocatedFileStatus> it = raw.listFiles(dir, true);
        List<Path> crc = new ArrayList<>();
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (p.getName().startsWith(".") && p.getName().endsWith(".crc")) crc.add(p);
        }
        for (Path p : crc) raw.delete(p, false);
    }
}
