package io.surnn.driver.cli;

import io.surnn.driver.config.Redaction;
import io.surnn.driver.testutil.TestDatasets;
import io.surnn.driver.testutil.TinyNets;
import io.surnn.driver.train.ModelDirectory;
import io.surnn.prep.core.DatasetWriter;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.surnn.driver.testutil.DriverCli.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the driver checks before Spark starts (config problems all at once, output.dir, vocab.txt,
 * empty splits), what a model directory guarantees (checksums, atomic replacement, export into an
 * existing folder) and that a secret in the config reaches no file of the run.
 */
class RunInputsAndArtefactsTest {
    @TempDir
    static java.nio.file.Path tmp;
    static java.nio.file.Path data;
    static java.nio.file.Path lmData;
    static java.nio.file.Path emptyTrain;
    static java.nio.file.Path emptyValid;
    /** A finished tiny run (trained, then resumed), with secrets in its config. */
    static java.nio.file.Path run;
    static Object[] trained;
    static Object[] resumed;

    static final String SECRET = "S3cr3t-Do-Not-Leak-42";
    static final String ACCESS = "AKIA-NOT-A-REAL-KEY-7";

    @BeforeAll
    static void setUp() throws IOException {
        data = tmp.resolve("data");
        lmData = tmp.resolve("lm-data");
        emptyTrain = tmp.resolve("empty-train");
        emptyValid = tmp.resolve("empty-valid");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("RunInputsAndArtefactsTest-data")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1").getOrCreate();
        try {
            TestDatasets.classification(spark, data.toString(), 96, 24, 12, 3);
            TestDatasets.languageModel(spark, lmData.toString(), 12, 6);
            datasetWithEmptySplit(spark, emptyTrain.toString(), 0, 8);
            datasetWithEmptySplit(spark, emptyValid.toString(), 32, 0);
        } finally {
            spark.stop();
        }
        run = tmp.resolve("secret-run");
        java.nio.file.Path f = config("secret.conf", tinyRun(run)
                + "\n spark.conf { \"spark.hadoop.fs.s3a.secret.key\" = \"" + SECRET + "\" }");
        trained = run("train", "--config", f.toString(), "--set", "train.max-steps=4",
                "--set", "spark.conf.\"spark.hadoop.fs.s3a.access.key\"=" + ACCESS);
        resumed = run("train", "--config", f.toString(), "--set", "train.max-steps=6", "--resume",
                "--set", "spark.conf.\"spark.hadoop.fs.s3a.access.key\"=" + ACCESS);
    }

    /**
     * A classification dataset (written with allowEmpty) with {@code train} and {@code valid} records
     * (0 = an empty split) and no test split.
     */
    private static void datasetWithEmptySplit(SparkSession spark, String dir, int train, int valid) throws IOException {
        DatasetWriter w = new DatasetWriter(spark, new Path(dir), true, new PrintStream(OutputStream.nullOutputStream()))
                .allowEmpty(true);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (String split : List.of(DatasetFormat.TRAIN, DatasetFormat.VALID)) {
            int n = split.equals(DatasetFormat.TRAIN) ? train : valid;
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(RowFactory.create((long) i, new int[] {1 + i % 5, 2, 3}, (1 + i % 5) % 3));
            }
            w.writeSplit(split, DatasetFormat.Kind.CLASSIFICATION, jsc.parallelize(rows, 1), n, 1);
        }
        DatasetManifest m = new DatasetManifest();
        m.task = "empty-split";
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = 12;
        m.numClasses = 3;
        m.padId = 0;
        m.seqLen = 8;
        w.commit(m);
    }

    private static java.nio.file.Path config(String name, String body) throws IOException {
        java.nio.file.Path f = tmp.resolve(name);
        Files.writeString(f, "surnn {\n" + body + "\n}\n");
        return f;
    }

    private static String tinyRun(java.nio.file.Path out) {
        return "task = tiny\n data.path = \"" + data + "\"\n output.dir = \"" + out + "\"\n"
                + "model { family = classifier, cell = lstm, embedding = 8, hidden = 12, layers = 1, dropout = 0.0 }\n"
                + "train { epochs = 2, batch-per-worker = 8, averaging-frequency = 2, workers = 2, warmup-steps = 0, decay = none,\n"
                + "        optimizer.lr = 0.01, prefetch = 0 }\n"
                + "checkpoint { every-rounds = 1, keep = 2 }\n spark.master = \"local[2]\"\n"
                + " spark.conf { \"spark.ui.enabled\" = \"false\" }";
    }

    private static String err(Object[] r) {
        return ((String) r[2]).strip();
    }

    /** Exit 2 with exactly one error line containing every fragment. */
    private static void assertOneError(Object[] r, String... fragments) {
        assertEquals(2, r[0], "exit code; stderr: " + r[2]);
        List<String> errors = err(r).lines().filter(l -> l.contains(": error: ")).toList();
        assertEquals(1, errors.size(), err(r));
        for (String f : fragments) {
            assertTrue(errors.get(0).contains(f), "expected '" + f + "' in: " + errors.get(0));
        }
    }

    private static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws IOException {
        try (Stream<java.nio.file.Path> s = Files.walk(from)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) s::iterator) {
                java.nio.file.Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static java.nio.file.Path modelCopy(String name) throws IOException {
        java.nio.file.Path copy = tmp.resolve(name);
        copyTree(run.resolve("model"), copy);
        return copy;
    }

    // ---- config: every problem, one line each

    @Test
    void everyConfigProblemIsPrintedOnItsOwnLine() throws IOException {
        java.nio.file.Path f = config("three.conf", "data.path = \"" + data + "\"\n model.hiden = 3\n"
                + " train.optimizer.lr = -1\n train.epochs = many");
        Object[] r = run("train", "--config", f.toString());
        assertEquals(2, r[0]);
        List<String> lines = err(r).lines().toList();
        assertEquals(3, lines.size(), err(r));
        assertTrue(lines.stream().allMatch(l -> l.startsWith("surnn train: error: ")), err(r));
        assertTrue(lines.get(0).contains("model.hiden: unknown key"), err(r));
        assertTrue(err(r).contains("train.optimizer.lr: must be > 0") && err(r).contains("train.epochs: must be an integer"),
                err(r));
    }

    // ---- checks before Spark starts

    @Test
    void anUnwritableOutputDirIsNamedByItsKeyBeforeAnythingRuns() throws IOException {
        java.nio.file.Path file = tmp.resolve("a-file");
        Files.writeString(file, "not a directory");
        java.nio.file.Path out = file.resolve("run");
        Object[] r = run("train", "--config", config("unwritable.conf", tinyRun(out)).toString());
        assertOneError(r, "output.dir", out.toString(), "not writable");
        assertFalse(((String) r[1]).contains("training "), "Spark never started: " + r[1]);
    }

    @Test
    void aShortVocabularyIsRefusedByTrainAndEvaluate() throws IOException {
        java.nio.file.Path copy = tmp.resolve("lm-short-vocab");
        copyTree(lmData, copy);
        java.nio.file.Path vocab = copy.resolve("vocab.txt");
        List<String> words = Files.readAllLines(vocab);
        Files.write(vocab, words.subList(0, words.size() - 2));
        java.nio.file.Path out = tmp.resolve("short-vocab-run");
        java.nio.file.Path f = config("short-vocab.conf", "task = lm\n data.path = \"" + copy + "\"\n output.dir = \"" + out
                + "\"\n model { family = lm, cell = lstm, embedding = 8, hidden = 8, layers = 1 }\n spark.master = \"local[2]\"");
        Object[] r = run("train", "--config", f.toString());
        String what = (words.size() - 2) + " lines, manifest vocab_size is " + words.size();
        assertOneError(r, "vocab.txt", what);
        assertFalse(Files.exists(out.resolve("metrics.jsonl")), "nothing trained");

        Object[] ev = run("evaluate", "--model", run.resolve("model").toString(), "--data", copy.toString(),
                "--master", "local[2]");
        assertOneError(ev, "vocab.txt", what);
    }

    @Test
    void generateRefusesAModelWhoseVocabularyDoesNotMatchItsManifest() throws IOException {
        java.nio.file.Path model = tmp.resolve("lm-model-short-vocab");
        DatasetManifest m = DatasetDirectory.open(lmData.toString()).manifest();
        List<String> vocab = DatasetDirectory.open(lmData.toString()).readVocab();
        ModelDirectory.Info info = new ModelDirectory.Info();
        info.task = "lm";
        info.kind = DatasetFormat.Kind.LM.name();
        ModelDirectory.write(model.toString(), new Configuration(), TinyNets.classifier(vocab.size(), vocab.size(), 0.01, 1),
                info, "surnn {}", m, vocab.subList(0, vocab.size() - 1));
        Object[] g = run("generate", "--model", model.toString(), "--prompt", "the cat", "--tokens", "2");
        assertOneError(g, "vocab.txt", (vocab.size() - 1) + " lines", "vocab_size " + vocab.size());
    }

    @Test
    void anEmptyTrainSplitIsNamedBeforeSparkStarts() throws IOException {
        java.nio.file.Path out = tmp.resolve("empty-train-run");
        Object[] r = run("train", "--config", config("empty.conf",
                tinyRun(out).replace(data.toString(), emptyTrain.toString())).toString());
        assertOneError(r, "split train has 0 records", emptyTrain.toString());
        assertFalse(((String) r[1]).contains("training "), "Spark never started: " + r[1]);

        Object[] ev = run("evaluate", "--model", run.resolve("model").toString(), "--data", emptyTrain.toString(),
                "--split", "train", "--master", "local[2]");
        assertOneError(ev, "split train has 0 records");
    }

    @Test
    void anEmptyValidSplitIsSkippedWithANote() throws IOException {
        java.nio.file.Path out = tmp.resolve("empty-valid-run");
        Object[] r = run("train", "--config", config("empty-valid.conf",
                tinyRun(out).replace(data.toString(), emptyValid.toString())).toString(), "--set", "train.max-steps=2");
        assertEquals(0, r[0], err(r));
        assertTrue(((String) r[1]).contains("note: split valid of") && ((String) r[1]).contains("has 0 records"),
                (String) r[1]);
        assertTrue(Files.exists(out.resolve("model/model.zip")));
    }

    // ---- secrets

    @Test
    void theTinyRunsSucceeded() {
        assertEquals(0, trained[0], (String) trained[2]);
        assertEquals(0, resumed[0], (String) resumed[2]);
        assertTrue(((String) resumed[1]).contains("resuming from"), (String) resumed[1]);
    }

    @Test
    void noSecretReachesAnyFileOfTheRunOrItsConsoleOutput() throws IOException {
        assertEquals(0, resumed[0], (String) resumed[2]);
        List<String> files = new ArrayList<>();
        try (Stream<java.nio.file.Path> s = Files.walk(run)) {
            for (java.nio.file.Path p : (Iterable<java.nio.file.Path>) s.filter(Files::isRegularFile)::iterator) {
                files.add(run.relativize(p).toString());
                assertNoSecret(p.toString(), Files.readAllBytes(p));
            }
        }
        assertTrue(files.contains("metrics.json") && files.contains("report.html") && files.contains("model/config.conf")
                && files.contains("model/model.zip") && files.stream().anyMatch(f -> f.startsWith("checkpoints/")
                && f.endsWith("config.conf")), files.toString());
        for (Object[] r : List.of(trained, resumed)) {
            assertNoSecret("stdout", ((String) r[1]).getBytes(StandardCharsets.UTF_8));
            assertNoSecret("stderr", ((String) r[2]).getBytes(StandardCharsets.UTF_8));
        }
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains(Redaction.REPLACEMENT), "the key is shown, its value redacted");
        assertTrue(Files.readString(run.resolve("metrics.json")).contains("spark.hadoop.fs.s3a.secret.key"));
    }

    /** Fails if either secret is in {@code bytes} or, for a zip, in any of its entries (recursively). */
    private static void assertNoSecret(String where, byte[] bytes) throws IOException {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(SECRET) || text.contains(ACCESS), "a secret in " + where);
        if (bytes.length > 4 && bytes[0] == 'P' && bytes[1] == 'K') {
            try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(bytes))) {
                for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                    assertNoSecret(where + "!" + e.getName(), zip.readAllBytes());
                }
            }
        }
    }

    // ---- the model directory

    @Test
    void theModelDirectoryListsEveryFileInSha256SumsAndLeavesNoTemporaries() throws IOException {
        assertEquals(0, resumed[0], (String) resumed[2]);
        String sums = Files.readString(run.resolve("model/" + ModelDirectory.SUMS));
        for (String f : List.of("model.zip", "model.json", "config.conf", "manifest.json")) {
            assertTrue(sums.contains("  " + f + "\n"), sums);
        }
        try (Stream<java.nio.file.Path> s = Files.list(run)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".model.")), "no temp or old model dirs");
        }
    }

    @Test
    void aDamagedModelZipIsOneLineForEveryCommand() throws IOException {
        java.nio.file.Path copy = modelCopy("model-damaged");
        java.nio.file.Path zip = copy.resolve("model.zip");
        byte[] b = Files.readAllBytes(zip);
        b[b.length / 2] ^= 0x5A;
        Files.write(zip, b);
        assertOneError(run("export", "--model", copy.toString(), "--out", tmp.resolve("x1").toString()),
                "model.zip does not match SHA256SUMS");
        assertOneError(run("evaluate", "--model", copy.toString(), "--data", data.toString(), "--master", "local[2]"),
                "model.zip does not match SHA256SUMS");
        assertOneError(run("generate", "--model", copy.toString(), "--prompt", "x"), "model.zip does not match SHA256SUMS");
    }

    @Test
    void aMissingListedFileIsNamed() throws IOException {
        java.nio.file.Path copy = modelCopy("model-incomplete");
        Files.delete(copy.resolve("config.conf"));
        assertOneError(run("export", "--model", copy.toString(), "--out", tmp.resolve("x2").toString()),
                "config.conf is missing", "SHA256SUMS");
    }

    @Test
    void anOldModelDirectoryWithoutSumsIsReadWithAWarningAndATruncatedZipIsStillOneLine() throws IOException {
        java.nio.file.Path copy = modelCopy("model-legacy");
        Files.delete(copy.resolve(ModelDirectory.SUMS));
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        Object[] ok;
        try {
            ok = run("export", "--model", copy.toString(), "--out", tmp.resolve("x3").toString());
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(0, ok[0], err(ok));
        String warned = warnings.toString(StandardCharsets.UTF_8);
        assertTrue(warned.contains("warning") && warned.contains("no SHA256SUMS"), warned);

        java.nio.file.Path zip = copy.resolve("model.zip");
        byte[] b = Files.readAllBytes(zip);
        Files.write(zip, java.util.Arrays.copyOf(b, b.length / 2));
        Object[] bad = run("export", "--model", copy.toString(), "--out", tmp.resolve("x4").toString());
        assertOneError(bad, "model.zip: cannot be read as a DL4J model");
    }

    @Test
    void exportIntoANonEmptyFolderNeedsOverwrite() throws IOException {
        java.nio.file.Path out = tmp.resolve("export-existing");
        Files.createDirectories(out);
        Files.writeString(out.resolve("keep-me.txt"), "user file");
        Object[] r = run("export", "--model", run.resolve("model").toString(), "--out", out.toString());
        assertOneError(r, out.toString(), "--overwrite");
        assertTrue(Files.exists(out.resolve("keep-me.txt")), "nothing touched");

        Object[] o = run("export", "--model", run.resolve("model").toString(), "--out", out.toString(), "--overwrite");
        assertEquals(0, o[0], err(o));
        assertTrue(Files.exists(out.resolve("params.npz")) && !Files.exists(out.resolve("keep-me.txt")));
        try (Stream<java.nio.file.Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".export-existing.")), "no temp folders left");
        }
    }

    @Test
    void aSecondWriteReplacesTheModelDirectoryWhole() throws IOException {
        java.nio.file.Path model = tmp.resolve("model-rewritten");
        DatasetManifest m = DatasetDirectory.open(data.toString()).manifest();
        ModelDirectory.Info info = new ModelDirectory.Info();
        info.task = "t";
        info.kind = m.kind.name();
        ModelDirectory.write(model.toString(), new Configuration(), TinyNets.classifier(12, 3, 0.01, 1), info, "a", m, null);
        Files.writeString(model.resolve("stale.txt"), "from before");
        ModelDirectory.write(model.toString(), new Configuration(), TinyNets.classifier(12, 3, 0.01, 2), info, "b", m, null);
        assertFalse(Files.exists(model.resolve("stale.txt")), "the old directory was replaced, not written over");
        assertEquals("b", ModelDirectory.open(model.toString(), new Configuration()).configText());
    }
}
