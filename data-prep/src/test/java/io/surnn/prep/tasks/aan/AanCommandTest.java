package io.surnn.prep.tasks.aan;

import io.surnn.prep.core.PrepTaskTestBase;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.core.ByteTokens;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class AanCommandTest extends PrepTaskTestBase {
    @Test
    void pairsKeepOrderLabelsAndAreTruncatedPerSide(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("aan");
        Files.createDirectories(in);
        String longText = "é".repeat(2500); // 5,000 UTF-8 bytes
        Files.writeString(in.resolve("new_aan_pairs.train.tsv"), String.join("\n",
                "label\tid1\tid2\ttext1\ttext2",
                "1\tP01-1001\tP02-2002\tA study of parsing.\tParsing, revisited.",
                "0.0\tP03-3003\tP04-4004\t" + longText + "\tshort",
                "1.0\tP05-5005\tP06-6006\tx\ty") + "\n");
        Files.writeString(in.resolve("new_aan_pairs.eval.tsv"), "0\ta\tb\tleft\tright\r\n");
        Files.writeString(in.resolve("new_aan_pairs.test.tsv"), "1\tc\td\tone\ttwo\n0\te\tf\tthree\tfour\n");
        Path out = tmp.resolve("out");
        Run r = prep(spark, "aan", "--input", in.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals("PAIR", m.kind.name());
        assertEquals(4000, m.seqLen);
        assertEquals(3, m.splits.get("train").records);
        assertEquals(1, m.splits.get("valid").records);
        assertEquals(2, m.splits.get("test").records);

        List<Row> train = rows(spark, out, "train");
        assertEquals(List.of(1, 0, 1), train.stream().map(x -> x.getInt(3)).toList());
        assertEquals("A study of parsing.", text(train.get(0), "tokens"));
        assertEquals("Parsing, revisited.", text(train.get(0), "tokens2"));
        int[] cut = ints(train.get(1), "tokens");
        assertEquals(4000, cut.length);
        assertEquals(0xC3 + 1, cut[0]); // first byte of 'é' (C3 A9), shifted by one
        assertEquals(0xA9 + 1, cut[3999]);
        assertEquals("short", text(train.get(1), "tokens2"));
        assertEquals("right", text(rows(spark, out, "valid").get(0), "tokens2"));
        assertEquals(List.of(1, 0), rows(spark, out, "test").stream().map(x -> x.getInt(3)).toList());
    }

    @Test
    void badRowsNameFileAndLineAndFailWithoutOutputUnlessSkipped(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("aan");
        Files.createDirectories(in);
        Files.writeString(in.resolve("new_aan_pairs.train.tsv"),
                "1\ta\tb\tx\ty\n" + "0\ta\tb\tonly four\n" + "2\ta\tb\tx\ty\n" + "0\ta\tb\tx\ty\n");
        Files.writeString(in.resolve("new_aan_pairs.test.tsv"), "1\tc\td\tone\ttwo\n");
        Path out = tmp.resolve("out");
        Run r = prep(spark, "aan", "--input", in.toString(), "--output", out.toString(), "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("new_aan_pairs.train.tsv") && r.err.contains("line 2"), r.err);
        assertTrue(noDataset(out));

        Run skip = prep(spark, "aan", "--input", in.toString(), "--output", out.toString(), "--quiet",
                "--on-bad-record", "skip");
        assertEquals(0, skip.code, skip.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(2, m.splits.get("train").records);
        assertFalse(m.splits.containsKey("valid"));
        assertEquals(Map.of("expected 5 tab-separated columns (label, id1, id2, text1, text2)", 1L,
                "label is not 0 or 1", 1L), m.skipped);
        assertEquals(List.of(0L, 1L), rows(spark, out, "train").stream().map(x -> x.getLong(0)).toList());
    }

    @Test
    void missingTrainFileIsAUserError(@TempDir Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("aan"));
        Run r = prep(spark, "aan", "--input", tmp.resolve("aan").toString(), "--output",
                tmp.resolve("o").toString(), "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("new_aan_pairs.train.tsv"), r.err);
    }

    private static String text(Row r, String col) {
        return new String(ByteTokens.decode(ints(r, col)), StandardCharsets.UTF_8);
    }
}
