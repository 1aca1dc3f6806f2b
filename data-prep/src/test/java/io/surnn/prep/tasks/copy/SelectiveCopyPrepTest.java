package io.surnn.prep.tasks.copy;

import io.surnn.prep.PrepTestSupport.Run;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class SelectiveCopyPrepTest {
    static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = session("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void targetsAreTheDataTokensInOrderFollowedByMarkers() throws IOException {
        Path out = tmp.resolve("sc");
        int L = 50, A = 8, M = 6;
        Run r = prep(spark, "selective-copy", "--output", out.toString(), "--length", "" + L, "--vocab", "" + A,
                "--tokens", "" + M, "--train", "1500", "--valid", "20", "--test", "20", "--shards", "2", "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetDirectory d = DatasetDirectory.open(out.toString());
        d.verify();
        DatasetManifest m = d.manifest();
        assertEquals(L + 2 * M, m.seqLen);
        assertEquals(A, m.vocabSize);
        assertEquals("<marker>", d.readVocab().get(A - 1));
        List<Row> rows = rows(spark, out, "train");
        assertEquals(1500, rows.size());
        long[] dataAtPosition = new long[L + M];
        for (Row row : rows) {
            int[] x = ints(row, "tokens"), y = ints(row, "targets");
            assertEquals(L + 2 * M, x.length);
            assertEquals(M, y.length);
            List<Integer> data = new ArrayList<>();
            for (int i = 0; i < L + M; i++) {
                assertTrue(x[i] >= 0 && x[i] <= A - 2, "input token " + x[i] + " at " + i);
                if (x[i] != 0) {
                    data.add(x[i]);
                    dataAtPosition[i]++;
                }
            }
            for (int i = L + M; i < x.length; i++) assertEquals(A - 1, x[i], "marker at " + i);
            int[] want = data.stream().mapToInt(Integer::intValue).toArray();
            assertArrayEquals(want, y, "targets = non-noise tokens in order");
        }
        // positions are spread over the whole first L+M steps (not front-loaded as in plain Copying)
        long firstHalf = 0, secondHalf = 0;
        for (int i = 0; i < L + M; i++) {
            if (i < (L + M) / 2) firstHalf += dataAtPosition[i];
            else secondHalf += dataAtPosition[i];
        }
        assertTrue(Math.abs(firstHalf - secondHalf) < 0.1 * (firstHalf + secondHalf), firstHalf + " vs " + secondHalf);
    }

    @Test
    void aVocabularyWithoutRoomForDataTokensIsRejected() {
        Run r = prep(spark, "selective-copy", "--output", tmp.resolve("bad").toString(), "--vocab", "2", "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("--vocab must be >= 3"), r.err);
    }
}
