package io.surnn.driver.testutil;

import io.surnn.driver.data.Record;
import io.surnn.prep.core.DatasetWriter;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes small dataset directories through data-prep's own writer (manifest, shards, checksums). */
public final class TestDatasets {
    private TestDatasets() {}

    /** A CLASSIFICATION directory with train/valid/test from {@link TinyNets#records}. */
    public static void classification(SparkSession spark, String dir, int train, int eval, int vocab, int classes)
            throws IOException {
        classification(spark, dir, train, eval, vocab, classes, true);
    }

    /** As above; without a valid split when {@code withValid} is false (as IMDB's dataset). */
    public static void classification(SparkSession spark, String dir, int train, int eval, int vocab, int classes,
                                      boolean withValid) throws IOException {
        DatasetWriter w = new DatasetWriter(spark, new Path(dir), true, new PrintStream(OutputStream.nullOutputStream()));
        Map<String, Integer> sizes = Map.of(DatasetFormat.TRAIN, train, DatasetFormat.VALID, eval, DatasetFormat.TEST, eval);
        long seed = 1;
        for (String split : DatasetFormat.SPLITS) {
            if (!withValid && split.equals(DatasetFormat.VALID)) {
                continue;
            }
            List<Row> rows = new ArrayList<>();
            for (Record r : TinyNets.records(sizes.get(split), vocab, classes, seed++)) {
                rows.add(RowFactory.create(r.index, r.tokens, r.label));
            }
            JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2);
            w.writeSplit(split, DatasetFormat.Kind.CLASSIFICATION, rdd, rows.size(), 2);
        }
        DatasetManifest m = new DatasetManifest();
        m.task = "synthetic-first-token";
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = vocab;
        m.numClasses = classes;
        m.padId = 0;
        m.seqLen = 8;
        w.commit(m);
    }

    /**
     * An LM directory (word level): a stream cycling through "the cat sat on the mat <eos>" with
     * seeded noise words, cut into windows of seqLen+1 ids overlapping by one, as data-prep writes them.
     */
    public static void languageModel(SparkSession spark, String dir, int windowsPerSplit, int seqLen) throws IOException {
        List<String> vocab = List.of("the", "cat", "sat", "on", "mat", "<eos>", "dog", "<unk>");
        int[] pattern = {0, 1, 2, 3, 0, 4, 5};
        DatasetWriter w = new DatasetWriter(spark, new Path(dir), true, new PrintStream(OutputStream.nullOutputStream()));
        java.util.Random rnd = new java.util.Random(4);
        for (String split : DatasetFormat.SPLITS) {
            int[] stream = new int[windowsPerSplit * seqLen + 1];
            for (int i = 0; i < stream.length; i++) {
                stream[i] = rnd.nextInt(10) == 0 ? 6 : pattern[i % pattern.length];
            }
            List<Row> rows = new ArrayList<>();
            for (int j = 0; j < windowsPerSplit; j++) {
                int[] win = java.util.Arrays.copyOfRange(stream, j * seqLen, j * seqLen + seqLen + 1);
                rows.add(RowFactory.create((long) j, (long) j * seqLen, win));
            }
            JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2);
            DatasetManifest.Split written = w.writeSplit(split, DatasetFormat.Kind.LM, rdd, rows.size(), 2);
            written.tokens = (long) stream.length;
        }
        w.writeVocab(vocab);
        DatasetManifest m = new DatasetManifest();
        m.task = "synthetic-lm";
        m.kind = DatasetFormat.Kind.LM;
        m.vocabSize = vocab.size();
        m.vocabFile = DatasetFormat.VOCAB_FILE;
        m.seqLen = seqLen;
        m.options.put("level", "word");
        w.commit(m);
    }
}
