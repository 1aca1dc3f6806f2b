package io.surnn.prep.tasks.cifar;

import io.surnn.prep.core.PrepTaskTestBase;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class CifarCommandTest extends PrepTaskTestBase {
    @Test
    void jpegFolderArchiveGivesAllImagesPerClassAndKnownGrayPixels(@TempDir Path tmp) throws IOException {
        Path tar = sharedData("cifar10/yoongikim-jpeg/CIFAR-10-images_jpeg.tar.gz");
        Path out = tmp.resolve("cifar");
        Run r = prep(spark, "cifar10", "--input", tar.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(45_000, m.splits.get("train").records);
        assertEquals(5_000, m.splits.get("valid").records);
        assertEquals(10_000, m.splits.get("test").records);
        assertEquals(1024, m.seqLen);
        assertEquals(CifarClasses.NAMES, m.labels);
        for (String split : List.of("train", "valid", "test")) {
            Map<Integer, Long> perClass = new TreeMap<>();
            DatasetDirectory.open(out.toString()).load(spark, split).groupBy("label").count().collectAsList()
                    .forEach(row -> perClass.put(row.getInt(0), row.getLong(1)));
            long each = split.equals("train") ? 4_500 : split.equals("valid") ? 500 : 1_000;
            assertEquals(10, perClass.size(), split);
            perClass.values().forEach(c -> assertEquals(each, c, split));
        }
        // train/airplane/0000.jpg is train record 0. Decoded RGB (ImageIO and PIL/libjpeg agree):
        // (16,16) = (8,7,12) → 7.88 · 255.5/255 → 7;  (0,0) = (200,202,197) → 201.
        int[] plane = ints(one(out, "train", 0), "tokens");
        assertEquals(7, plane[16 * 32 + 16]);
        assertEquals(201, plane[0]);
        // test/cat/0007.jpg is test record 3·1000 + 7: (16,16) = (196,193,204) → 195; (0,0) = (39,40,61) → 42.
        Row cat = one(out, "test", 3_007);
        assertEquals(3, cat.getInt(2));
        assertEquals(195, ints(cat, "tokens")[16 * 32 + 16]);
        assertEquals(42, ints(cat, "tokens")[0]);
        // valid = files 4500..4999 of each class: valid record 0 is train/airplane/4500.jpg.
        assertEquals(0, one(out, "valid", 0).getInt(2));
    }

    @Test
    void binaryBatchesGiveRecordsLabelsAndGrayPixelsFromDirectoryAndArchive(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("cifar-10-batches-bin");
        Files.createDirectories(dir);
        Files.write(dir.resolve("data_batch_1.bin"), concat(record(3, 255, 0, 0), record(9, 0, 255, 0), record(0, 10, 200, 30)));
        Files.write(dir.resolve("data_batch_2.bin"), concat(record(1, 0, 0, 255), record(7, 128, 128, 128)));
        Files.write(dir.resolve("test_batch.bin"), concat(record(5, 255, 255, 255), record(6, 1, 1, 1)));
        Files.writeString(dir.resolve("batches.meta.txt"), String.join("\n", CifarClasses.NAMES));
        Path tar = tmp.resolve("cifar-10-binary.tar.gz");
        writeTarGz(tar, tmp, dir);

        for (Path in : List.of(dir, tar)) {
            Path out = tmp.resolve("out-" + in.getFileName());
            Run r = prep(spark, "cifar10", "--input", in.toString(), "--output", out.toString(),
                    "--valid-fraction", "0.2", "--partitions", "2", "--quiet");
            assertEquals(0, r.code, r.toString());
            List<Row> train = rows(spark, out, "train");
            List<Row> valid = rows(spark, out, "valid");
            List<Row> test = rows(spark, out, "test");
            // 5 training records, round(0.2·5) = 1 held out: the last one of data_batch_2.
            assertEquals(List.of(3, 9, 0, 1), train.stream().map(x -> x.getInt(2)).toList());
            assertEquals(List.of(7), valid.stream().map(x -> x.getInt(2)).toList());
            assertEquals(List.of(5, 6), test.stream().map(x -> x.getInt(2)).toList());
            assertEquals(List.of(76, 149, 124, 29), train.stream().map(x -> ints(x, "tokens")[1000]).toList());
            assertEquals(128, ints(valid.get(0), "tokens")[5]);
            assertEquals(255, ints(test.get(0), "tokens")[0]);
            assertEquals(1024, ints(test.get(1), "tokens").length);
        }
    }

    @Test
    void truncatedBatchFailsNamingFileAndByteOffsetAndLeavesNoOutput(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("bin");
        Files.createDirectories(dir);
        byte[] two = concat(record(1, 1, 2, 3), record(2, 4, 5, 6));
        Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(concat(two, record(3, 0, 0, 0)), 2 * 3073 + 100));
        Files.write(dir.resolve("test_batch.bin"), record(4, 9, 9, 9));
        Path out = tmp.resolve("out");
        Run r = prep(spark, "cifar10", "--input", dir.toString(), "--output", out.toString(), "--partitions", "2",
                "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("data_batch_1.bin") && r.err.contains("byte offset 6146"), r.err);
        assertTrue(noDataset(out));
    }

    @Test
    void wrongSizeOrUnreadableImageIsABadRecordNamingTheFile(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("imgs");
        png(dir.resolve("train/cat/0.png"), 32);
        png(dir.resolve("train/dog/0.png"), 32);
        png(dir.resolve("train/dog/1.png"), 16);
        Files.writeString(dir.resolve("train/cat/1.png"), "not a png");
        png(dir.resolve("test/ship/0.png"), 32);
        Run r = prep(spark, "cifar10", "--input", dir.toString(), "--output", tmp.resolve("a").toString(),
                "--valid-fraction", "0", "--partitions", "2", "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("train/cat/1.png") || r.err.contains("train/dog/1.png"), r.err);
        assertTrue(noDataset(tmp.resolve("a")));
        Run skip = prep(spark, "cifar10", "--input", dir.toString(), "--output", tmp.resolve("b").toString(),
                "--valid-fraction", "0", "--on-bad-record", "skip", "--partitions", "2", "--quiet");
        assertEquals(0, skip.code, skip.toString());
        DatasetManifest m = DatasetDirectory.open(tmp.resolve("b").toString()).manifest();
        assertEquals(2, m.splits.get("train").records);
        assertEquals(Map.of("image is not 32x32", 1L, "unreadable image", 1L), m.skipped);
        assertEquals(List.of(3, 5), rows(spark, tmp.resolve("b"), "train").stream().map(x -> x.getInt(2)).toList());
    }

    private static Row one(Path out, String split, long index) throws IOException {
        return DatasetDirectory.open(out.toString()).load(spark, split).filter("index = " + index).collectAsList().get(0);
    }

    /** One binary record: label, then a uniform colour image (R plane, G plane, B plane). */
    static byte[] record(int label, int r, int g, int b) {
        byte[] rec = new byte[3073];
        rec[0] = (byte) label;
        Arrays.fill(rec, 1, 1025, (byte) r);
        Arrays.fill(rec, 1025, 2049, (byte) g);
        Arrays.fill(rec, 2049, 3073, (byte) b);
        return rec;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static void png(Path p, int side) throws IOException {
        Files.createDirectories(p.getParent());
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0x336699);
        ImageIO.write(img, "png", p.toFile());
    }

    private static void writeTarGz(Path tar, Path base, Path dir) throws IOException {
        try (OutputStream raw = Files.newOutputStream(tar);
             TarArchiveOutputStream out = new TarArchiveOutputStream(new GZIPOutputStream(raw))) {
            try (var files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    byte[] b = Files.readAllBytes(f);
                    TarArchiveEntry e = new TarArchiveEntry(base.relativize(f).toString());
                    e.setSize(b.length);
                    out.putArchiveEntry(e);
                    out.write(b);
                    out.closeArchiveEntry();
                }
            }
        }
    }
}
