package io.surnn.prep.tasks.mnist;

import io.surnn.prep.core.PrepTaskTestBase;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class MnistCommandTest extends PrepTaskTestBase {
    @Test
    void fullMnistHasKnownCountsLabelsAndPixels(@TempDir Path tmp) throws IOException {
        Path in = sharedData("mnist");
        Path out = tmp.resolve("mnist");
        Run r = prep(spark, "mnist", "--input", in.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(55_000, m.splits.get("train").records);
        assertEquals(5_000, m.splits.get("valid").records);
        assertEquals(10_000, m.splits.get("test").records);
        assertEquals(784, m.seqLen);
        assertEquals(256, m.vocabSize);
        // The training file holds 6,742 ones: 6,212 in the first 55,000, 530 in the last 5,000.
        assertEquals(6_212L, countLabel(out, "train", 1));
        assertEquals(530L, countLabel(out, "valid", 1));
        Map<Integer, Long> test = new TreeMap<>();
        DatasetDirectory.open(out.toString()).load(spark, "test").groupBy("label").count().collectAsList()
                .forEach(row -> test.put(row.getInt(0), row.getLong(1)));
        assertEquals(List.of(980L, 1135L, 1032L, 1010L, 982L, 892L, 958L, 1028L, 974L, 1009L),
                List.copyOf(test.values()));
        Row first = record(out, "train", 0);
        assertEquals(5, first.getInt(2));
        assertEquals(240, ints(first, "tokens")[14 * 28 + 14]);
        assertEquals(3, ints(first, "tokens")[152]);
        Row t0 = record(out, "test", 0);
        assertEquals(7, t0.getInt(2));
        assertEquals(84, ints(t0, "tokens")[202]);
        assertEquals(8, record(out, "valid", 4_999).getInt(2));
    }

    @Test
    void permutedUsesOnePermutationForAllImagesAndRuns(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Random rnd = new Random(3);
        writeMnist(in, randomImages(rnd, 40), randomLabels(rnd, 40), randomImages(rnd, 12), randomLabels(rnd, 12), true);
        Run plain = prep(spark, "mnist", "--input", in.toString(), "--output", tmp.resolve("s").toString(),
                "--valid-size", "10", "--quiet");
        Run perm1 = prep(spark, "mnist", "--input", in.toString(), "--output", tmp.resolve("p1").toString(),
                "--valid-size", "10", "--permuted", "--seed", "7", "--quiet");
        Run perm2 = prep(spark, "mnist", "--input", in.toString(), "--output", tmp.resolve("p2").toString(),
                "--valid-size", "10", "--permuted", "--seed", "7", "--quiet");
        for (Run r : List.of(plain, perm1, perm2)) {
            assertEquals(0, r.code, r.toString());
        }
        int[] p = PixelPermutation.of(784, 7);
        assertNotEquals(identity(784), Arrays.toString(p));
        assertEquals("7", DatasetDirectory.open(tmp.resolve("p1").toString()).manifest().options.get("permutation_seed"));
        for (String split : List.of("train", "valid", "test")) {
            List<Row> s = rows(spark, tmp.resolve("s"), split);
            List<Row> a = rows(spark, tmp.resolve("p1"), split);
            assertEquals(a, rows(spark, tmp.resolve("p2"), split), "same seed, same output: " + split);
            assertEquals(s.size(), a.size());
            for (int i = 0; i < s.size(); i++) {
                int[] seq = ints(s.get(i), "tokens");
                int[] per = ints(a.get(i), "tokens");
                int[] sortedSeq = seq.clone();
                int[] sortedPer = per.clone();
                Arrays.sort(sortedSeq);
                Arrays.sort(sortedPer);
                assertArrayEquals(sortedSeq, sortedPer, "same multiset of pixels");
                for (int t = 0; t < 784; t++) {
                    assertEquals(seq[p[t]], per[t], "image " + i + " step " + t);
                }
                assertEquals(s.get(i).getInt(2), a.get(i).getInt(2));
            }
        }
    }

    @Test
    void truncatedImagesFileFailsWithFileAndOffsetAndLeavesNoOutput(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Random rnd = new Random(5);
        writeMnist(in, randomImages(rnd, 6), randomLabels(rnd, 6), randomImages(rnd, 3), randomLabels(rnd, 3), false);
        Path images = in.resolve("train-images-idx3-ubyte");
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, 16 + 4 * 784 + 100));
        Path out = tmp.resolve("out");
        Run r = prep(spark, "mnist", "--input", in.toString(), "--output", out.toString(), "--valid-size", "1",
                "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("train-images-idx3-ubyte") && r.err.contains("byte offset " + (16 + 4 * 784)),
                r.err);
        assertTrue(noDataset(out));
    }

    @Test
    void labelThatIsNotADigitIsABadRecordNamingLabelsFileAndOffset(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Random rnd = new Random(9);
        int[] labels = randomLabels(rnd, 6);
        labels[2] = 12;
        writeMnist(in, randomImages(rnd, 6), labels, randomImages(rnd, 3), randomLabels(rnd, 3), true);
        Run r = prep(spark, "mnist", "--input", in.toString(), "--output", tmp.resolve("a").toString(),
                "--valid-size", "1", "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("train-labels-idx1-ubyte.gz") && r.err.contains("byte offset 10"), r.err);
        Run skip = prep(spark, "mnist", "--input", in.toString(), "--output", tmp.resolve("b").toString(),
                "--valid-size", "1", "--on-bad-record", "skip", "--quiet");
        assertEquals(0, skip.code, skip.toString());
        DatasetManifest m = DatasetDirectory.open(tmp.resolve("b").toString()).manifest();
        assertEquals(4, m.splits.get("train").records);
        assertEquals(Map.of("label is not a digit 0..9", 1L), m.skipped);
    }

    @Test
    void wrongMagicIsAUserErrorNamingTheFile(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("in");
        Random rnd = new Random(1);
        writeMnist(in, randomImages(rnd, 2), randomLabels(rnd, 2), randomImages(rnd, 2), randomLabels(rnd, 2), false);
        Files.writeString(in.resolve("t10k-labels-idx1-ubyte"), "this is not an IDX file");
        Run r = prep(spark, "mnist", "--input", in.toString(), "--output", tmp.resolve("o").toString(),
                "--valid-size", "1", "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("t10k-labels-idx1-ubyte"), r.err);
    }

    private static String identity(int n) {
        int[] id = new int[n];
        Arrays.setAll(id, i -> i);
        return Arrays.toString(id);
    }

    private static long countLabel(Path out, String split, int label) throws IOException {
        return DatasetDirectory.open(out.toString()).load(spark, split).filter("label = " + label).count();
    }

    private static Row record(Path out, String split, long index) throws IOException {
        return DatasetDirectory.open(out.toString()).load(spark, split).filter("index = " + index).collectAsList().get(0);
    }

    static byte[][] randomImages(Random rnd, int n) {
        byte[][] images = new byte[n][784];
        for (byte[] im : images) {
            rnd.nextBytes(im);
        }
        return images;
    }

    static int[] randomLabels(Random rnd, int n) {
        int[] l = new int[n];
        Arrays.setAll(l, i -> rnd.nextInt(10));
        return l;
    }

    /** Writes the four IDX files (gzip or plain) as MNIST names them. */
    static void writeMnist(Path dir, byte[][] trainImages, int[] trainLabels, byte[][] testImages, int[] testLabels,
                           boolean gzip) throws IOException {
        Files.createDirectories(dir);
        String gz = gzip ? ".gz" : "";
        write(dir.resolve("train-images-idx3-ubyte" + gz), images(trainImages), gzip);
        write(dir.resolve("train-labels-idx1-ubyte" + gz), labels(trainLabels), gzip);
        write(dir.resolve("t10k-images-idx3-ubyte" + gz), images(testImages), gzip);
        write(dir.resolve("t10k-labels-idx1-ubyte" + gz), labels(testLabels), gzip);
    }

    static byte[] images(byte[][] images) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x00000803);
        d.writeInt(images.length);
        d.writeInt(28);
        d.writeInt(28);
        for (byte[] im : images) {
            d.write(im);
        }
        return b.toByteArray();
    }

    static byte[] labels(int[] labels) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeInt(0x00000801);
        d.writeInt(labels.length);
        for (int l : labels) {
            d.write(l);
        }
        return b.toByteArray();
    }

    private static void write(Path p, byte[] bytes, boolean gzip) throws IOException {
        try (OutputStream o = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            o.write(bytes);
        }
    }
}
