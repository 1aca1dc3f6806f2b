package io.surnn.prep.core;

import io.surnn.prep.PrepTestSupport.Run;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.HadoopPaths;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

/** The same jobs on local[1] and local[2] (2 input partitions) give identical datasets. */
class LocalParallelismTest {
    @TempDir
    static Path tmp;

    /** ~120k words of deterministic pseudo-text (with empty lines), the same three times. */
    static Path corpus() throws IOException {
        Path dir = tmp.resolve("corpus");
        Files.createDirectories(dir);
        Random rnd = new Random(11);
        StringBuilder sb = new StringBuilder();
        for (int line = 0; line < 6000; line++) {
            if (line % 9 == 0) {
                sb.append(" \n");
                continue;
            }
            int n = 1 + rnd.nextInt(40);
            for (int w = 0; w < n; w++) sb.append(' ').append("w").append((int) Math.abs(rnd.nextGaussian() * 300));
            sb.append(" \n");
        }
        for (String s : List.of("train.txt", "valid.txt", "test.txt")) Files.writeString(dir.resolve(s), sb);
        return dir;
    }

    record Snapshot(DatasetManifest manifest, List<List<Row>> splits) {}

    /** Runs each job (args without --output) on one session of {@code master}. */
    static List<Snapshot> run(String master, String suffix, int minInputPartitions, String[]... jobs)
            throws IOException {
        SparkSession spark = session(master);
        try {
            int parts = TextLines.raw(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                    HadoopPaths.resolve(tmp.resolve("corpus/train.txt").toString()),
                    spark.sparkContext().defaultMinPartitions()).getNumPartitions();
            assertTrue(parts >= minInputPartitions, master + " read the corpus in " + parts + " partition(s)");
            List<Snapshot> out = new ArrayList<>();
            for (String[] job : jobs) {
                Path dir = tmp.resolve(job[0] + suffix);
                List<String> a = new ArrayList<>(List.of(job));
                a.addAll(List.of("--output", dir.toString(), "--shards", "3", "--quiet"));
                Run r = prep(spark, a.toArray(new String[0]));
                assertEquals(0, r.code, r.toString());
                List<List<Row>> splits = new ArrayList<>();
                for (String s : List.of("train", "valid", "test")) splits.add(rows(spark, dir, s));
                DatasetManifest m = DatasetDirectory.open(dir.toString()).manifest();
                m.createdAt = null;
                out.add(new Snapshot(m, splits));
            }
            return out;
        } finally {
            spark.stop();
        }
    }

    static void assertSame(Snapshot a, Snapshot b) {
        assertEquals(a.manifest().toJson(), b.manifest().toJson(), "manifests (minus created_at) differ");
        for (int s = 0; s < 3; s++) {
            List<Row> x = a.splits().get(s), y = b.splits().get(s);
            assertEquals(x.size(), y.size());
            for (int i = 0; i < x.size(); i++) assertEquals(x.get(i), y.get(i), "split " + s + " row " + i);
        }
    }

    @Test
    void wikiTextAndListOpsAreIdenticalOnOneAndTwoCores() throws IOException {
        Path corpus = corpus();
        String[] wt = {"wikitext", "--input", corpus.toString(), "--window", "257"};
        String[] lo = {"listops", "--train", "40", "--val", "8", "--test", "8", "--min-length", "40", "--max-length", "300"};
        List<Snapshot> one = run("local[1]", "-1", 1, wt, lo);
        List<Snapshot> two = run("local[2]", "-2", 2, wt, lo);
        assertTrue(one.get(0).manifest().splits.get("train").records > 100, "a non-trivial corpus");
        assertSame(one.get(0), two.get(0));
        assertSame(one.get(1), two.get(1));
    }
}
