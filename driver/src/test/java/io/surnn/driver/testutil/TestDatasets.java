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
        DatasetWriter w = new DatasetWriter(spark, new Path(dir), true, new PrintStream(OutputStream.nullOutputStream()));
        Map<String, Integer> sizes = Map.of(DatasetFormat.TRAIN, train, DatasetFormat.VALID, eval, DatasetFormat.TEST, eval);
        long seed = 1;
        for (String split : DatasetFormat.SPLITS) {
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
}
