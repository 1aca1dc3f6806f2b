package io.surnn.driver.cli;

import static io.surnn.driver.testutil.DriverCli.run;

import io.surnn.driver.testutil.TestDatasets;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's commands in-process, on a synthetic dataset written by data-prep's writer:
 * errors (config, corrupted shard, bad options) and a short train → evaluate → export → resume.
 */
class DriverMainTest {
    @TempDir
    static Path tmp;
    static Path data;
    static Path lmData;

    @BeforeAll
    static void writeDataset() throws IOException {
        data = tmp.resolve("data");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("DriverMainTest-data")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            TestDatasets.classification(spark, data.toString(), 192, 48, 12, 3);
            lmData = tmp.resolve("lm-data");
            TestDatasets.languageModel(spark, lmData.toString(), 24, 6);
        } finally {
            spark.stop();
        }
    }

    private static Path config(String name, String body) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, "surnn {\n" + body + "\n}\n");
        return f;
    }

    private static String tinyRun(Path out) {
        return "task = tiny\n data.path = \"" + data + "\"\n output.dir = \"" + out + "\"\n"
                + "model { family = classifier, cell = lstm, embedding = 8, hidden = 12, layers = 1, dropout = 0.0 }\n"
                + "train { epochs = 2, batch-per-worker = 8, averaging-frequency = 2, workers = 2, warmup-steps = 0, decay = none,\n"
                + "        optimizer.lr = 0.01, prefetch = 0 }\n"
                + "checkpoint { every-rounds = 2, keep = 2 }\n spark.master = \"local[2]\"\n spark.conf { \"spark.ui.enabled\" = \"false\" }";
    }

    @Test
    void configErrorIsOneLineNamingTheKeyWithExitCode2() throws IOException {
        Path f = config("bad.conf", "data.path = \"" + data + "\"\n train.optimizer.lr = -1");
        Object[] r = run("train", "--config", f.toString());
        assertEquals(2, r[0]);
        String err = ((String) r[2]).trim();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.contains("train.optimizer.lr") && err.contains("-1"), err);
    }

    @Test
    void unknownOptionIsAUsageErrorWithExitCode2() {
        Object[] r = run("evaluate", "--model", "x", "--data", "y", "--bogus");
        assertEquals(2, r[0]);
        assertTrue(((String) r[2]).contains("--bogus"), (String) r[2]);
    }

    @Test
    void corruptedShardIsNamedBeforeTrainingStarts() throws IOException {
        Path copy = tmp.resolve("corrupt");
        copyTree(data, copy);
        Path shard;
        try (Stream<Path> s = Files.list(copy.resolve("train"))) {
            shard = s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length / 2] ^= 0x5A;                       // same size, different content
        Files.write(shard, bytes);
        Path out = tmp.resolve("corrupt-run");
        Path f = config("corrupt.conf", tinyRun(out).replace(data.toString(), copy.toString()));
        Object[] r = run("train", "--config", f.toString());
        assertEquals(2, r[0], (String) r[2]);
        String err = ((String) r[2]).trim();
        assertTrue(err.contains(shard.getFileName().toString()) && err.contains("corrupted"), err);
        assertFalse(Files.exists(out.resolve("metrics.jsonl")), "nothing trained");
    }

    @Test
    void trainEvaluateExportAndResumeAgree() throws IOException {
        Path out = tmp.resolve("run");
        Path f = config("tiny.conf", tinyRun(out));
        Object[] r = run("train", "--config", f.toString(), "--set", "train.max-steps=6");
        assertEquals(0, r[0], (String) r[2]);
        String stdout = (String) r[1];
        assertTrue(stdout.contains("step 6/6"), stdout);
        assertTrue(Files.exists(out.resolve("report.html")) && Files.exists(out.resolve("model/model.zip")), "report and model");

        // resume with a larger step budget: continues from the max-steps checkpoint at step 6
        Object[] resumed = run("train", "--config", f.toString(), "--set", "train.max-steps=10", "--resume");
        assertEquals(0, resumed[0], (String) resumed[2]);
        String rs = (String) resumed[1];
        assertTrue(rs.contains("resuming from") && rs.contains("step 6)"), rs);
        assertTrue(rs.contains("step 10/10") && !rs.contains("step 2/10"), rs);
        String testLine = rs.lines().filter(l -> l.startsWith("test: accuracy")).findFirst().orElseThrow();

        Object[] ev = run("evaluate", "--model", out.resolve("model").toString(), "--data", data.toString(),
                "--master", "local[2]", "--batch", "64");
        assertEquals(0, ev[0], (String) ev[2]);
        assertTrue(((String) ev[1]).contains(testLine.substring(0, testLine.indexOf(" ("))), ev[1] + " vs " + testLine);

        Path exported = tmp.resolve("export");
        Object[] ex = run("export", "--model", out.resolve("model").toString(), "--out", exported.toString());
        assertEquals(0, ex[0], (String) ex[2]);
        assertTrue(Files.size(exported.resolve("params.npz")) > 0);
        assertTrue(Files.readString(exported.resolve("configuration.json")).contains("\"confs\""));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    @Test
    void languageModelTrainsWithCarriedRowsAndGenerates() throws IOException {
        Path out = tmp.resolve("lm-run");
        Path f = config("lm.conf", "task = lm\n data.path = \"" + lmData + "\"\n output.dir = \"" + out + "\"\n"
                + "model { family = lm, cell = lstm, embedding = 8, hidden = 8, layers = 1, dropout = 0.0 }\n"
                + "train { epochs = 1, max-steps = 4, batch-per-worker = 2, averaging-frequency = 1, workers = 2, tbptt = 8,\n"
                + "        warmup-steps = 0, prefetch = 0 }\n spark.master = \"local[2]\"\n spark.conf { \"spark.ui.enabled\" = \"false\" }");
        Object[] r = run("train", "--config", f.toString());
        assertEquals(0, r[0], (String) r[2]);
        String stdout = (String) r[1];
        assertTrue(stdout.contains("test: perplexity"), stdout);
        String info = Files.readString(out.resolve("model/model.json"));
        assertTrue(info.contains("\"windows_per_row\" : 2") && info.contains("\"sparse_labels\" : true"), info);
        assertTrue(Files.readString(out.resolve("model/vocab.txt")).startsWith("the\ncat\n"));

        Object[] g = run("generate", "--model", out.resolve("model").toString(), "--prompt", "the cat", "--tokens", "5",
                "--seed", "3");
        assertEquals(0, g[0], (String) g[2]);
        String text = ((String) g[1]).trim();
        assertTrue(text.startsWith("the cat") && text.split("\\s+").length >= 3, text);
        Object[] again = run("generate", "--model", out.resolve("model").toString(), "--prompt", "the cat", "--tokens", "5",
                "--seed", "3");
        assertEquals(g[1], again[1], "same seed, same text");
        Object[] bad = run("generate", "--model", out.resolve("model").toString(), "--prompt", "x", "--temperature", "0");
        assertEquals(2, bad[0]);
        assertTrue(((String) bad[2]).contains("--temperature"), (String) bad[2]);
    }
}
