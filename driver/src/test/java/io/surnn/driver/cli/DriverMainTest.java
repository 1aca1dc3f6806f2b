package io.surnn.driver.cli;

import static io.surnn.driver.testutil.DriverCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.report.RunLock;
import io.surnn.driver.testutil.TestDatasets;
import org.apache.hadoop.conf.Configuration;
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
import java.util.List;
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
    void aDatasetWithoutValidSplitStillReportsUpdateRates() throws IOException {
        Path noValid = tmp.resolve("no-valid");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("DriverMainTest-no-valid")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            TestDatasets.classification(spark, noValid.toString(), 96, 24, 12, 3, false);
        } finally {
            spark.stop();
        }
        Path out = tmp.resolve("no-valid-run");
        Path f = config("no-valid.conf", tinyRun(out).replace(data.toString(), noValid.toString())
                .replace("cell = lstm", "cell = sugru").replace("epochs = 2", "epochs = 1"));
        Object[] r = run("train", "--config", f.toString());
        assertEquals(0, r[0], (String) r[2]);
        JsonNode m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertFalse(m.has("val_accuracy"), "no validation split, no validation");
        assertTrue(m.has("test_accuracy"), m.toString());
        assertEquals(1, m.get("final_update_rates").size(), "the rate probe falls back to a training minibatch: " + m);
        double rate = m.get("final_update_rates").get(0).asDouble();
        assertTrue(rate > 0 && rate <= 1, m.toString());
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

    /** A lock file as a run that is gone left it: this host, a pid no process has. */
    private static void deadRunsLock(Path dir) throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunLock.FILE), "{\"run_id\":\"killed-run\",\"host\":\""
                + java.net.InetAddress.getLocalHost().getHostName() + "\",\"pid\":" + p.pid()
                + ",\"started_at\":\"2020-01-01T00:00:00Z\",\"heartbeat_at\":\"" + java.time.Instant.now() + "\"}");
    }

    private static void assertOneLine(String err) {
        assertFalse(err.trim().contains("\n"), "one line: " + err);
    }

    @Test
    void aRunDirectoryIsOwnedByOneRunAndAFreshRunNeedsAnEmptyOne() throws Exception {
        // An earlier run's files: a fresh train is refused, naming the directory and the three ways on.
        Path used = tmp.resolve("used-run");
        Files.createDirectories(used.resolve("checkpoints/step-000000000052"));
        Files.writeString(used.resolve("metrics.json"), "{\"steps\":52}");
        Path usedConf = config("used.conf", tinyRun(used));
        Object[] r = run("train", "--config", usedConf.toString());
        assertEquals(2, r[0], (String) r[2]);
        String err = (String) r[2];
        assertOneLine(err);
        assertTrue(err.startsWith("surnn train: error: output.dir " + used + " already holds a run (checkpoints, metrics.json)")
                && err.contains("--resume") && err.contains("--overwrite") && err.contains("another output.dir"), err);
        assertEquals("{\"steps\":52}", Files.readString(used.resolve("metrics.json")));
        assertFalse(Files.exists(used.resolve(RunLock.FILE)), "the refused run released its lock");

        // Another run holds the directory: refused before anything is written.
        Path busy = tmp.resolve("busy-run");
        try (RunLock other = RunLock.acquire(busy.toString(), new Configuration(), "train", false, w -> {})) {
            Object[] b = run("train", "--config", config("busy.conf", tinyRun(busy)).toString(), "--resume");
            assertEquals(2, b[0], (String) b[2]);
            assertOneLine((String) b[2]);
            assertTrue(((String) b[2]).contains("is in use by another run: run " + other.runId()), (String) b[2]);
            assertEquals(List.of(), other.contents(), "nothing written next to the holder's lock");
        }

        Object[] both = run("train", "--config", usedConf.toString(), "--resume", "--overwrite");
        assertEquals(2, both[0]);
        assertTrue(((String) both[2]).contains("--resume") && ((String) both[2]).contains("--overwrite"), (String) both[2]);

        // A killed run's lock: reported with its content and the way out; --force-unlock removes it (and then the
        // directory is refused for what it holds, like any used one).
        deadRunsLock(used);
        Object[] stale = run("train", "--config", usedConf.toString());
        assertEquals(2, stale[0], (String) stale[2]);
        assertOneLine((String) stale[2]);
        assertTrue(((String) stale[2]).contains("is locked by a run that is gone") && ((String) stale[2]).contains("killed-run")
                && ((String) stale[2]).contains("--force-unlock"), (String) stale[2]);
        Object[] forced = run("train", "--config", usedConf.toString(), "--force-unlock");
        assertEquals(2, forced[0], (String) forced[2]);
        assertTrue(((String) forced[1]).contains("warning: --force-unlock: removing the lock"), (String) forced[1]);
        assertTrue(((String) forced[2]).contains("already holds a run"), (String) forced[2]);
        assertFalse(Files.exists(used.resolve(RunLock.FILE)));
    }

    @Test
    void anIoFailureDuringTrainingIsAFailureNotBadInput() {
        Throwable crash = new io.surnn.driver.train.TrainingFailedException(new java.io.UncheckedIOException(
                "checkpoint at step 4 failed", new java.io.FileNotFoundException("run/checkpoints/_tmp-step-000000000004-x")));
        assertEquals(null, DriverMain.userError(crash), "a file that vanished mid-run is not the user's input");
        assertTrue(DriverMain.userError(new io.surnn.driver.report.RunDirectoryRefusedException("in use")) != null);
    }

    @Test
    void aRunThatLosesItsLockStopsAtTheNextCheckpointWithFailed() throws Exception {
        Path out = tmp.resolve("lost-run");
        Path f = config("lost.conf", tinyRun(out));
        Object[][] result = new Object[1][];
        Thread t = new Thread(() -> result[0] = run("train", "--config", f.toString(), "--set", "train.max-steps=24",
                "--set", "checkpoint.every-rounds=1"));
        t.start();
        Path jsonl = out.resolve("metrics.jsonl");
        long deadline = System.currentTimeMillis() + 120_000;
        while (t.isAlive() && System.currentTimeMillis() < deadline
                && !(Files.exists(jsonl) && Files.readString(jsonl).contains("\"event\":\"train\""))) {
            Thread.sleep(20);
        }
        // Someone else's --force-unlock and their lock, while the run trains.
        Path tmpLock = Files.writeString(out.resolve("lock.tmp"), "{\"run_id\":\"intruder\",\"host\":\"elsewhere\",\"pid\":7}");
        Files.move(tmpLock, out.resolve(RunLock.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        t.join(300_000);
        Object[] r = result[0];
        assertEquals(1, r[0], r[1] + " / " + r[2]);
        String err = ((String) r[2]).trim();
        assertOneLine(err);
        assertTrue(err.startsWith("surnn train: failed: checkpoint at step ") && err.contains("lost the lock")
                && err.contains("intruder"), err);
        assertTrue(Files.readString(out.resolve(RunLock.FILE)).contains("intruder"), "the new holder's lock is left alone");
    }

    @Test
    void freshTrainIntoAFinishedRunIsRefusedResumeKeepsOneHistoryAndOverwriteMovesTheRunAside() throws IOException {
        Path out = tmp.resolve("history-run");
        Path f = config("history.conf", tinyRun(out));
        Object[] first = run("train", "--config", f.toString(), "--set", "train.max-steps=6");
        assertEquals(0, first[0], (String) first[2]);
        assertFalse(Files.exists(out.resolve(RunLock.FILE)), "released at the end");

        Object[] again = run("train", "--config", f.toString(), "--set", "train.max-steps=6");
        assertEquals(2, again[0], (String) again[2]);
        assertOneLine((String) again[2]);
        assertTrue(((String) again[2]).contains("output.dir " + out + " already holds a run"), (String) again[2]);

        // The newest checkpoint (step 6) corrupted: --resume says so and continues from step 4; the earlier
        // attempt's events after step 4 leave metrics.jsonl, so each step is in it once.
        Path model = out.resolve("checkpoints/step-000000000006/model.zip");
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x5A;
        Files.write(model, bytes);
        Object[] resumed = run("train", "--config", f.toString(), "--set", "train.max-steps=10", "--resume");
        assertEquals(0, resumed[0], (String) resumed[2]);
        String rs = (String) resumed[1];
        assertTrue(rs.contains("warning: checkpoint ") && rs.contains("step-000000000006 skipped: "), rs);
        assertTrue(rs.contains("resuming from") && rs.contains("step 4)"), rs);
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), trainSteps(out.resolve("metrics.jsonl")));
        Path side;
        try (Stream<Path> s = Files.list(out)) {
            side = s.filter(p -> p.getFileName().toString().startsWith("metrics.jsonl.dropped-")).findFirst().orElseThrow();
        }
        assertEquals(List.of(6L), trainSteps(side), "the earlier attempt's step 6, kept aside");
        assertTrue(rs.contains("moved to " + side.getFileName()), rs);

        Object[] over = run("train", "--config", f.toString(), "--set", "train.max-steps=2", "--overwrite");
        assertEquals(0, over[0], (String) over[2]);
        Path old;
        try (Stream<Path> s = Files.list(tmp)) {
            old = s.filter(p -> p.getFileName().toString().startsWith("history-run.old-")).findFirst().orElseThrow();
        }
        assertTrue(((String) over[1]).contains("--overwrite: the earlier contents of " + out + " were moved to "), (String) over[1]);
        assertEquals(List.of(2L, 4L, 6L, 8L, 10L), trainSteps(old.resolve("metrics.jsonl")), "the old run, intact");
        assertTrue(Files.isDirectory(old.resolve("checkpoints/step-000000000010")));
        assertEquals(List.of(2L), trainSteps(out.resolve("metrics.jsonl")));
        try (Stream<Path> s = Files.list(out.resolve("checkpoints"))) {
            assertEquals(List.of("step-000000000002"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static List<Long> trainSteps(Path jsonl) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<Long> steps = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(jsonl)) {
            com.fasterxml.jackson.databind.JsonNode o = json.readTree(line);
            if ("train".equals(o.path("event").asText())) {
                steps.add(o.path("step").asLong());
            }
        }
        return steps;
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
