package io.surnn.prep.tasks.imdb;

import io.surnn.prep.core.ByteTokens;
import io.surnn.prep.core.PrepTaskTestBase;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ImdbCommandTest extends PrepTaskTestBase {
    @Test
    void fullArchiveGivesOfficialSplitsBalancedLabelsAndKnownBytes(@TempDir Path tmp) throws IOException {
        Path tar = sharedData("imdb/aclImdb_labelled_from_dax44-AMLM.tar.gz");
        Path out = tmp.resolve("imdb");
        Run r = prep(spark, "imdb", "--input", tar.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(25_000, m.splits.get("train").records);
        assertEquals(25_000, m.splits.get("test").records);
        assertFalse(m.splits.containsKey("valid"));
        assertEquals(257, m.vocabSize);
        assertEquals(0, m.padId);
        assertEquals(4096, m.seqLen);
        for (String split : List.of("train", "test")) {
            Map<Integer, Long> byLabel = new java.util.TreeMap<>();
            DatasetDirectory.open(out.toString()).load(spark, split).groupBy("label").count().collectAsList()
                    .forEach(row -> byLabel.put(row.getInt(0), row.getLong(1)));
            assertEquals(Map.of(0, 12_500L, 1, 12_500L), byLabel, split);
        }
        // Order: negatives by id, then positives by id, so train/pos/0_9.txt is record 12,500.
        List<Row> train = DatasetDirectory.open(out.toString()).load(spark, "train")
                .filter("index = 12500 or index = 0").orderBy("index").collectAsList();
        assertEquals(0, train.get(0).getInt(2));
        Row bromwell = train.get(1);
        assertEquals(1, bromwell.getInt(2));
        String start = new String(ByteTokens.decode(ints(bromwell, "tokens")), StandardCharsets.UTF_8);
        assertTrue(start.startsWith("Bromwell High is a cartoon comedy."), start.substring(0, 40));
        assertEquals('B' + 1, ints(bromwell, "tokens")[0]);
        Row first = DatasetDirectory.open(out.toString()).load(spark, "test").filter("index = 12500")
                .collectAsList().get(0);
        assertTrue(new String(ByteTokens.decode(ints(first, "tokens")), StandardCharsets.UTF_8)
                .startsWith("I went and saw this movie last night after being coaxed to by a few friends of mine."));
        // Truncation: long reviews are cut at exactly 4,096 bytes, none is longer.
        Row longest = DatasetDirectory.open(out.toString()).load(spark, "train")
                .selectExpr("max(size(tokens))").collectAsList().get(0);
        assertEquals(4096, longest.getInt(0));
    }

    @Test
    void directoryAndArchiveOfTheSameTreeGiveIdenticalRecords(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("aclImdb");
        Map<String, String> files = new java.util.TreeMap<>(Map.of(
                "train/pos/10_9.txt", "great film",
                "train/pos/2_7.txt", "good",
                "train/neg/1_1.txt", "awful",
                "test/neg/0_4.txt", "meh, " + "x".repeat(100),
                "test/pos/3_10.txt", "wonderful",
                "README", "not a review",
                "train/unsup/5_0.txt", "unlabelled, ignored"));
        writeTree(dir, files);
        Path tar = tmp.resolve("acl.tar.gz");
        writeTarGz(tar, "aclImdb/", files);

        Run fromDir = prep(spark, "imdb", "--input", dir.toString(), "--output", tmp.resolve("a").toString(),
                "--max-len", "16", "--partitions", "2", "--quiet");
        Run fromTar = prep(spark, "imdb", "--input", tar.toString(), "--output", tmp.resolve("b").toString(),
                "--max-len", "16", "--partitions", "2", "--quiet");
        assertEquals(0, fromDir.code, fromDir.toString());
        assertEquals(0, fromTar.code, fromTar.toString());
        for (String split : List.of("train", "test")) {
            List<Row> a = rows(spark, tmp.resolve("a"), split);
            List<Row> b = rows(spark, tmp.resolve("b"), split);
            assertEquals(a, b, split);
        }
        List<Row> train = rows(spark, tmp.resolve("a"), "train");
        assertEquals(3, train.size());
        // neg/1, pos/2, pos/10 (numeric id order within a label).
        assertEquals("awful", decode(train.get(0)));
        assertEquals("good", decode(train.get(1)));
        assertEquals("great film", decode(train.get(2)));
        assertEquals(List.of(0, 1, 1), train.stream().map(x -> x.getInt(2)).toList());
        List<Row> test = rows(spark, tmp.resolve("a"), "test");
        assertEquals("meh, xxxxxxxxxxx", decode(test.get(0)));
    }

    @Test
    void badFileNameFailsNamingTheEntryAndLeavesNoOutput(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("aclImdb");
        writeTree(dir, Map.of("train/pos/1_9.txt", "fine", "train/neg/oops.txt", "bad name",
                "test/pos/2_8.txt", "fine", "test/neg/3_5.txt", "rating 5 in neg"));
        Path out = tmp.resolve("out");
        Run r = prep(spark, "imdb", "--input", dir.toString(), "--output", out.toString(), "--partitions", "2",
                "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("train/neg/oops.txt") || r.err.contains("test/neg/3_5.txt"), r.err);
        assertTrue(noDataset(out));

        Run skip = prep(spark, "imdb", "--input", dir.toString(), "--output", out.toString(), "--partitions", "2", "--quiet",
                "--on-bad-record", "skip");
        assertEquals(0, skip.code, skip.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(1, m.splits.get("train").records);
        assertEquals(1, m.splits.get("test").records);
        assertEquals(2L, m.skipped.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void missingInputIsAUserError(@TempDir Path tmp) {
        Run r = prep(spark, "imdb", "--input", tmp.resolve("nope").toString(), "--output",
                tmp.resolve("o").toString());
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("nope"), r.err);
    }

    private static String decode(Row r) {
        return new String(ByteTokens.decode(ints(r, "tokens")), StandardCharsets.UTF_8);
    }

    static void writeTree(Path root, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> e : files.entrySet()) {
            Path p = root.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, e.getValue());
        }
    }

    static void writeTarGz(Path tar, String prefix, Map<String, String> files) throws IOException {
        try (OutputStream raw = Files.newOutputStream(tar);
             TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(raw))) {
            for (Map.Entry<String, String> e : files.entrySet()) {
                byte[] b = e.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry te = new TarArchiveEntry(prefix + e.getKey());
                te.setSize(b.length);
                out.putArchiveEntry(te);
                out.write(b);
                out.closeArchiveEntry();
            }
        }
    }
}
