package io.surnn.prep.core;

import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.DatasetSchemas;
import io.surnn.prep.format.HadoopPaths;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class DatasetWriterTest {
    static SparkSession spark;
    @TempDir
    static Path tmp;
    static final PrintStream LOG = new PrintStream(new ByteArrayOutputStream());

    @BeforeAll
    static void start() {
        spark = session("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static List<Row> shuffledRows(long n, long skip) {
        List<Row> rows = new ArrayList<>();
        for (long i = 0; i < n; i++) {
            if (i != skip) rows.add(RowFactory.create(i, new int[]{(int) i, (int) i + 1}, (int) (i % 3)));
        }
        Collections.shuffle(rows, new Random(5));
        return rows;
    }

    @Test
    void aDataFrameSplitIsWrittenInIndexOrderIntoContiguousShards() throws Exception {
        Path out = tmp.resolve("df");
        DatasetWriter w = new DatasetWriter(spark, HadoopPaths.resolve(out.toString()), false, LOG);
        Dataset<Row> df = spark.createDataFrame(shuffledRows(10, -1), DatasetSchemas.CLASSIFICATION).repartition(3);
        DatasetManifest.Split s = w.writeSplit("train", DatasetFormat.Kind.CLASSIFICATION, df, 3);
        assertEquals(List.of(4L, 3L, 3L), s.shards.stream().map(x -> x.records).toList());   // [0,4) [4,7) [7,10)
        assertEquals(20L, s.tokens);
        DatasetManifest m = new DatasetManifest();
        m.task = "test";
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = 12;
        w.commit(m);
        DatasetDirectory d = DatasetDirectory.open(out.toString());
        d.verify();
        List<Row> shard1 = spark.read().parquet(d.shardPaths("train").get(1).toString()).collectAsList();
        assertEquals(List.of(4L, 5L, 6L), shard1.stream().map(r -> r.getLong(0)).toList(), "sorted within the shard");
        assertEquals(List.of("df"), entries(tmp).stream().filter(n -> n.contains("df")).toList());
    }

    @Test
    void aGapInTheIndexesFailsTheSplitAndAbortLeavesNothing() throws Exception {
        Path out = tmp.resolve("gap");
        DatasetWriter w = new DatasetWriter(spark, HadoopPaths.resolve(out.toString()), false, LOG);
        Exception e = assertThrows(Exception.class, () -> w.writeSplit("train", DatasetFormat.Kind.CLASSIFICATION,
                spark.createDataFrame(shuffledRows(10, 6), DatasetSchemas.CLASSIFICATION), 2));
        Throwable c = e;
        while (c.getCause() != null && !(c instanceof IllegalStateException)) c = c.getCause();
        assertTrue(c.getMessage().contains("dense"), e.toString());
        w.abort();
        assertFalse(Files.exists(out));
        assertTrue(entries(tmp).stream().noneMatch(n -> n.contains("gap")), entries(tmp).toString());
    }

    @Test
    void aDataFrameInAnotherSchemaIsRejectedNamingBothSchemas() throws Exception {
        DatasetWriter w = new DatasetWriter(spark, HadoopPaths.resolve(tmp.resolve("schema").toString()), false, LOG);
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.writeSplit("valid",
                    DatasetFormat.Kind.LM, spark.createDataFrame(shuffledRows(3, -1), DatasetSchemas.CLASSIFICATION), 1));
            assertTrue(e.getMessage().contains("LM") && e.getMessage().contains("label"), e.getMessage());
        } finally {
            w.abort();
        }
    }
}
