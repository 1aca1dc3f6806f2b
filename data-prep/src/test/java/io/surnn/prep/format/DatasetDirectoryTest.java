package io.surnn.prep.format;

import io.surnn.prep.PrepTestSupport.Run;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class DatasetDirectoryTest {
    static SparkSession spark;
    @TempDir
    static Path tmp;
    static Path original;

    @BeforeAll
    static void start() {
        spark = session("local[2]");
        original = tmp.resolve("orig");
        Run r = prep(spark, "selective-copy", "--output", original.toString(), "--train", "40", "--valid", "5",
                "--test", "5", "--length", "30", "--shards", "2", "--quiet");
        assertEquals(0, r.code, r.toString());
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    private static Path copy(String name) throws IOException {
        Path dst = tmp.resolve(name);
        try (Stream<Path> s = Files.walk(original)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path q = dst.resolve(original.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dst;
    }

    @Test
    void aCompleteDirectoryVerifiesAndLoadsInItsKindsSchema() throws IOException {
        DatasetDirectory d = DatasetDirectory.open(original.toString());
        d.verify();
        assertEquals(DatasetFormat.Kind.COPY, d.kind());
        List<Row> rows = d.load(spark, "train").orderBy("index").collectAsList();
        assertEquals(40, rows.size());
        assertTrue(DatasetSchemas.matches(DatasetFormat.Kind.COPY, d.load(spark, "train").schema()));
        assertEquals(2, d.shardPaths("train").size());
        assertTrue(d.shardPaths("train").get(1).getName().equals("part-00001.parquet"));
        assertEquals("file", DatasetDirectory.open(original.toUri().toString()).root().toUri().getScheme());
    }

    @Test
    void aTruncatedShardIsReportedByName() throws IOException {
        Path d = copy("truncated");
        Path shard = d.resolve("train/part-00001.parquet");
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.setLength(f.length() - 10);
        }
        IOException e = assertThrows(IOException.class, () -> DatasetDirectory.open(d.toString()).verify());
        assertTrue(e.getMessage().contains("train/part-00001.parquet") && e.getMessage().contains("truncated"),
                e.getMessage());
    }

    @Test
    void aCorruptedShardIsReportedByName() throws IOException {
        Path d = copy("corrupted");
        Path shard = d.resolve("valid/part-00000.parquet");
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(f.length() / 2);
            int b = f.read();
            f.seek(f.length() / 2);
            f.write(b ^ 0x01);
        }
        IOException e = assertThrows(IOException.class, () -> DatasetDirectory.open(d.toString()).verify());
        assertTrue(e.getMessage().contains("valid/part-00000.parquet") && e.getMessage().contains("corrupted"),
                e.getMessage());
    }

    @Test
    void aDirectoryWithoutManifestIsNotADataset() throws IOException {
        Path d = copy("nomanifest");
        Files.delete(d.resolve("manifest.json"));
        FileNotFoundException e = assertThrows(FileNotFoundException.class, () -> DatasetDirectory.open(d.toString()));
        assertTrue(e.getMessage().contains("manifest.json is missing"), e.getMessage());
    }

    @Test
    void aManifestWhoseCountsDisagreeIsRejected() throws IOException {
        Path d = copy("badcounts");
        Path mf = d.resolve("manifest.json");
        Files.writeString(mf, Files.readString(mf).replaceFirst("\"records\" : 40", "\"records\" : 41"));
        IOException e = assertThrows(IOException.class, () -> DatasetDirectory.open(d.toString()));
        assertTrue(e.getMessage().contains("declares 41 records"), e.getMessage());
    }
}
