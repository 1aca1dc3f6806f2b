package io.surnn.prep.tasks.pathfinder;

import io.surnn.prep.core.PrepTaskTestBase;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.prep.format.Npy;
import io.surnn.prep.core.ImageDecoding;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class PathfinderCommandTest extends PrepTaskTestBase {
    @Test
    void generatedSplitsAreBalancedIndependentOfPartitionsAndCarrySamples(@TempDir Path tmp) throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b");
        Run ra = prep(spark, "pathfinder", "--output", a.toString(), "--train", "40", "--valid", "10", "--test", "10",
                "--partitions", "3", "--samples", "4", "--seed", "9", "--quiet");
        Run rb = prep(spark, "pathfinder", "--output", b.toString(), "--train", "40", "--valid", "10", "--test", "10",
                "--partitions", "1", "--samples", "0", "--seed", "9", "--quiet");
        assertEquals(0, ra.code, ra.toString());
        assertEquals(0, rb.code, rb.toString());
        DatasetManifest m = DatasetDirectory.open(a.toString()).manifest();
        assertEquals(1024, m.seqLen);
        assertEquals(9L, m.seed);
        assertEquals("14", m.options.get("contour_length"));
        for (String split : List.of("train", "valid", "test")) {
            List<Row> ra1 = rows(spark, a, split);
            assertEquals(ra1, rows(spark, b, split), split + ": same seed, other partitioning, same data");
            long pos = ra1.stream().filter(r -> r.getInt(2) == 1).count();
            assertEquals(ra1.size() / 2, pos, split + " balanced");
        }
        // Samples: enlarged PNGs of train records 0..3 and a labels.csv that agrees with the dataset.
        List<String> csv = Files.readAllLines(a.resolve("samples/labels.csv"));
        assertEquals(5, csv.size());
        List<Row> train = rows(spark, a, "train");
        for (int i = 0; i < 4; i++) {
            String[] f = csv.get(i + 1).split(",");
            assertEquals(train.get(i).getInt(2), Integer.parseInt(f[3]));
            int[] big = ImageDecoding.gray(Files.readAllBytes(a.resolve("samples").resolve(f[0])), f[0], 256, 256);
            int[] tokens = ints(train.get(i), "tokens");
            for (int p = 0; p < 1024; p++) {
                assertEquals(tokens[p], big[(p / 32) * 8 * 256 + (p % 32) * 8], "sample " + i + " pixel " + p);
            }
        }
        assertFalse(Files.exists(b.resolve("samples")));
    }

    @Test
    void officialLayoutIsReadInMetadataOrderAndCut80_10_10(@TempDir Path tmp) throws IOException {
        Path in = tmp.resolve("curv_contour_length_14");
        PathfinderGenerator g = new PathfinderGenerator(new PathfinderParams(PathfinderParams.Difficulty.HARD));
        int[][] pixels = new int[20][];
        int[] labels = new int[20];
        for (int batch = 0; batch < 2; batch++) {
            String[][] meta = new String[10][];
            for (int k = 0; k < 10; k++) {
                int i = batch * 10 + k;
                PathfinderImage img = g.generate(3, 0, i);
                pixels[i] = img.pixels;
                labels[i] = img.label;
                Path png = in.resolve("imgs/" + batch + "/sample_" + k + ".png");
                Files.createDirectories(png.getParent());
                try (OutputStream o = Files.newOutputStream(png)) {
                    PathfinderSamples.writePng(img.pixels, 32, 1, o);
                }
                meta[k] = new String[]{"imgs/" + batch, "sample_" + k + ".png", Integer.toString(k),
                        Integer.toString(img.label), "1.0", "14", "4", "2", "0.5", "1", "2"};
            }
            Files.createDirectories(in.resolve("metadata"));
            // file "10.npy" sorts after "2.npy" numerically: write batch 1 as 10.npy, batch 0 as 2.npy
            try (OutputStream o = Files.newOutputStream(in.resolve("metadata/" + (batch == 0 ? "2" : "10") + ".npy"))) {
                o.write(Npy.writeStrings(meta));
            }
        }
        Path out = tmp.resolve("out");
        Run r = prep(spark, "pathfinder", "--input", in.toString(), "--output", out.toString(), "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(16, m.splits.get("train").records);
        assertEquals(2, m.splits.get("valid").records);
        assertEquals(2, m.splits.get("test").records);
        List<Row> test = rows(spark, out, "test");
        assertArrayEquals(pixels[18], ints(test.get(0), "tokens"));
        assertEquals(labels[19], test.get(1).getInt(2));
        assertArrayEquals(pixels[5], ints(rows(spark, out, "train").get(5), "tokens"));

        Files.writeString(in.resolve("imgs/1/sample_3.png"), "broken");
        Run bad = prep(spark, "pathfinder", "--input", in.toString(), "--output", tmp.resolve("o2").toString(), "--quiet");
        assertEquals(2, bad.code, bad.toString());
        assertTrue(bad.err.contains("imgs/1/sample_3.png"), bad.err);
        assertTrue(noDataset(tmp.resolve("o2")));
    }
}
