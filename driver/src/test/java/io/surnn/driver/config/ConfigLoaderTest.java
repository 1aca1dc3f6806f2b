package io.surnn.driver.config;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static RunConfig parse(String hocon, String... overrides) {
        return ConfigLoader.parse(hocon, "test.conf", List.of(overrides));
    }

    @Test
    void defaultsComeFromReferenceConf() {
        RunConfig c = parse("surnn.data.path = /d");
        assertEquals(ModelConfig.Family.CLASSIFIER, c.model().family());
        assertEquals(io.surnn.ops.layers.CellType.SUGRU, c.model().cell());
        assertEquals(io.surnn.ops.gate.GateMode.RHYTHMIC, c.model().gate().mode());
        assertEquals(4, c.model().gate().harmonics());
        assertEquals(1e-3, c.train().optimizer().lr());
        assertEquals(TrainConfig.Repartition.ALWAYS, c.train().repartition());
        assertEquals(-1, c.train().maxSteps());
        assertFalse(c.train().hasStepLimit());
        assertEquals("runs/run", c.output().dir(), "output.dir defaults to runs/<task>");
        assertEquals("local[*]", c.spark().master());
    }

    @Test
    void engineDefaultsToParameterAveragingAndAllreduceIsChosenByName() {
        TrainConfig t = parse("surnn.data.path = /d").train();
        assertEquals(TrainConfig.Engine.PARAMAVG, t.engine());
        assertEquals(0, t.shards(), "one shard per worker");
        TrainConfig a = parse("surnn.data.path = /d", "train.engine=allreduce", "train.shards=4").train();
        assertEquals(TrainConfig.Engine.ALLREDUCE, a.engine());
        assertEquals(4, a.shards());
        assertError("train.engine: must be one of paramavg | allreduce, got \"ring\"", "train.engine=ring");
        assertError("train.shards: must be >= 0, got -1", "train.shards=-1");
    }

    @Test
    void wallClockBudgetIsOffByDefaultAndMustBePositive() {
        TrainConfig t = parse("surnn.data.path = /d").train();
        assertEquals(-1, t.maxSeconds());
        assertFalse(t.hasTimeBudget());
        TrainConfig b = parse("surnn.data.path = /d", "train.max-seconds=90").train();
        assertEquals(90.0, b.maxSeconds());
        assertTrue(b.hasTimeBudget());
        assertEquals(0.5, parse("surnn.data.path = /d", "train.max-seconds=0.5").train().maxSeconds());
        assertError("train.max-seconds: must be -1 (no limit) or > 0 (got 0.0)", "train.max-seconds=0");
        assertError("train.max-seconds: must be -1 (no limit) or > 0 (got -0.5)", "train.max-seconds=-0.5");
        assertError("train.max-seconds: must be >= -1, got -2", "train.max-seconds=-2");
        assertError("train.max-seconds: must be a number", "train.max-seconds=soon");
    }

    @Test
    void evalRecordsIsWholeSplitsByDefaultAndAtLeastOneWhenSet() {
        TrainConfig t = parse("surnn.data.path = /d").train();
        assertEquals(-1, t.evalRecords());
        assertFalse(t.hasEvalLimit());
        TrainConfig b = parse("surnn.data.path = /d", "train.eval-records=500").train();
        assertEquals(500, b.evalRecords());
        assertTrue(b.hasEvalLimit());
        assertError("train.eval-records: must be -1 (whole splits) or >= 1", "train.eval-records=0");
        ConfigError e = assertThrows(ConfigError.class, () -> parse("surnn.data.path = /d", "train.eval-records=-3"));
        assertTrue(e.getMessage().contains("train.eval-records: must be >= -1, got -3"), e.getMessage());
    }

    @Test
    void unknownKeyIsRejectedWithFileLineAndSuggestion() throws IOException {
        Path f = write("bad.conf", "surnn {\n  data.path = /d\n  train {\n    lr = 0.1\n  }\n}\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(f, List.of()));
        assertTrue(e.getMessage().startsWith(f + ":4: train.lr: unknown key"), e.getMessage());
        assertTrue(e.getMessage().endsWith("did you mean train.optimizer.lr?"), e.getMessage());
    }

    @Test
    void misspelledKeySuggestsTheNearestValidOne() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("surnn { data.path = /d, model.hiden = 3 }"));
        assertTrue(e.getMessage().contains("model.hiden: unknown key; did you mean model.hidden?"), e.getMessage());
    }

    @Test
    void topLevelKeyOutsideSurnnIsRejected() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("model.hidden = 3"));
        assertTrue(e.getMessage().contains("model: unknown key (every setting lives under surnn"), e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyAndValue() throws IOException {
        Path f = write("t.conf", "surnn.data.path = /d\nsurnn.model.hidden = lots\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(f, List.of()));
        assertEquals(f + ":2: model.hidden: must be an integer, got \"lots\"", e.getMessage());
    }

    @Test
    void objectWhereValueExpectedIsRejected() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> parse("surnn { data.path = /d, model.hidden { size = 3 } }"));
        assertTrue(e.getMessage().contains("model.hidden: is a single value, not an object"), e.getMessage());
    }

    @Test
    void impossibleValuesAreRejectedWithTheirRange() {
        assertError("train.optimizer.lr: must be > 0, got -1", "train.optimizer.lr=-1");
        assertError("model.dropout: must be in [0, 1), got 1", "model.dropout=1");
        assertError("model.gate.initial-update-rate: must be in (0, 1], got 0", "model.gate.initial-update-rate=0");
        assertError("train.epochs: must be >= 1, got 0", "train.epochs=0");
        assertError("train.max-steps: must be -1 (no limit) or >= 1, got 0", "train.max-steps=0");
        assertError("model.layers: must be an integer, got 1.5", "model.layers=1.5");
        assertError("model.cell: must be one of surnn | sugru | sulstm | lstm, got \"gru\"", "model.cell=gru");
        assertError("checkpoint.keep: must be >= 1, got 0", "checkpoint.keep=0");
        assertError("model.sparse: must be true or false, got \"maybe\"", "model.sparse=maybe");

        // worker-ops' enums, spelled as users write them; the optimizer accepts a subset of worker-ops' Optimizer
        assertError("model.pooling: must be one of mean | last, got \"max\"", "model.pooling=max");
        assertError("model.gate.mode: must be one of rhythmic | fixed | soft | dense, got \"on\"", "model.gate.mode=on");
        assertError("model.gate.surrogate: must be one of boxcar | triangle | sigmoid, got \"step\"",
                "model.gate.surrogate=step");
        assertError("train.optimizer.name: must be one of adam | adamw, got \"sgd\"", "train.optimizer.name=sgd");
    }

    @Test
    void dataPathIsRequired() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse(""));
        assertTrue(e.getMessage().startsWith("reference.conf"), e.getMessage());
        assertTrue(e.getMessage().contains("data.path: must be set"), e.getMessage());
    }

    @Test
    void outputLayerKeysNeedALanguageModelAndSaneValues() {
        assertError("model.output.tie-embeddings: applies only to model.family = lm", "model.output.tie-embeddings=true");
        assertError("model.output.softmax: applies only to model.family = lm", "model.output.softmax=adaptive");
        assertError("model.output.tie-embeddings: needs model.embedding = model.hidden (they are 64 and 128)",
                "model.family=lm", "model.output.tie-embeddings=true");
        assertError("model.output.cutoffs: must increase strictly, got 2000 then 900", "model.family=lm",
                "model.output.cutoffs=\"2000,900\"");
        assertError("model.output.cutoffs: must be auto or a list of increasing integers, got 'many'",
                "model.family=lm", "model.output.cutoffs=\"1,many\"");
        assertError("model.output.softmax: must be one of full | adaptive, got \"hier\"", "model.family=lm", "model.output.softmax=hier");
        assertError("model.output.tail-shrink: must be >= 1", "model.family=lm", "model.output.tail-shrink=0");
        assertError("model.tie-weights: unknown key; it moved to model.output.tie-embeddings", "model.tie-weights=true");
        RunConfig ok = parse("surnn.data.path=/d", "model.family=lm", "model.output.tie-embeddings=true",
                "model.embedding=32", "model.hidden=32", "model.output.softmax=adaptive",
                "model.output.cutoffs=[200, 1000]");
        assertTrue(ok.model().output().tieEmbeddings());
        assertArrayEquals(new int[] {200, 1000}, ok.model().output().cutoffs());
        assertEquals(io.surnn.ops.models.OutputSoftmax.ADAPTIVE, ok.model().output().softmax());
        assertArrayEquals(new int[] {50, 70}, parse("surnn.data.path=/d", "model.family=lm",
                "model.output.cutoffs=\"50,70\"").model().output().cutoffs());
        assertNull(parse("surnn.data.path=/d", "model.family=lm").model().output().cutoffs(), "auto is the default");
    }

    private static void assertError(String expectedFragment, String... overrides) {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("surnn.data.path = /d", overrides));
        assertTrue(e.getMessage().contains(expectedFragment), "expected '" + expectedFragment + "' in: " + e.getMessage());
        assertTrue(e.getMessage().startsWith("--set "), "override errors name the --set: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
    }

    @Test
    void everyProblemIsReportedNotOnlyTheFirst() throws IOException {
        Path f = write("three.conf", "surnn {\n  data.path = /d\n  model.hiden = 3\n  model.dropout = 2\n"
                + "  train.epochs = zero\n}\n");
        ConfigError e = assertThrows(ConfigError.class, () -> ConfigLoader.load(f, List.of("train.max-steps=0", "oops")));
        List<String> p = e.problems();
        assertEquals(5, p.size(), String.join("\n", p));
        assertTrue(p.contains("--set oops: expected key=value, e.g. --set train.epochs=3"), p.toString());
        assertTrue(p.contains(f + ":3: model.hiden: unknown key; did you mean model.hidden?"), p.toString());
        assertTrue(p.contains(f + ":4: model.dropout: must be in [0, 1), got 2"), p.toString());
        assertTrue(p.contains(f + ":5: train.epochs: must be an integer, got \"zero\""), p.toString());
        assertTrue(p.contains("--set train.max-steps=0: train.max-steps: must be -1 (no limit) or >= 1, got 0"), p.toString());
        assertEquals(String.join("\n", p), e.getMessage());
    }

    @Test
    void unknownKeysAreAllReportedInFileOrder() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> parse("surnn {\n data.path = /d\n train.lr = 1\n model.hiden = 3\n bogus = 1\n}"));
        List<String> p = e.problems();
        assertEquals(3, p.size(), p.toString());
        assertTrue(p.get(0).startsWith("test.conf: 3: train.lr: unknown key"), p.toString());
        assertTrue(p.get(1).startsWith("test.conf: 4: model.hiden: unknown key"), p.toString());
        assertTrue(p.get(2).startsWith("test.conf: 5: bogus: unknown key"), p.toString());
    }

    @Test
    void aShapeProblemStopsBeforeTheValuesAreRead() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> parse("surnn { data.path = /d, model.gate = 3, train.epochs = 0 }"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("model.gate: must be an object"), e.getMessage());
    }

    @Test
    void overridesBeatTheFileAndAcceptBothKeyForms() throws IOException {
        Path f = write("o.conf", "surnn { data.path = /d, model.hidden = 64, train.epochs = 3 }");
        RunConfig c = ConfigLoader.load(f, List.of("model.hidden=256", "surnn.train.epochs=7",
                "model.cell=sulstm", "train.optimizer.name=adamw"));
        assertEquals(256, c.model().hidden());
        assertEquals(7, c.train().epochs());
        assertEquals(io.surnn.ops.layers.CellType.SULSTM, c.model().cell());
        assertEquals(io.surnn.ops.models.Optimizer.ADAMW, c.train().optimizer().name());
    }

    @Test
    void overrideValuesKeepUrisAndHashesIntact() {
        RunConfig c = parse("", "data.path=hdfs://nn:8020/data/listops#v2", "output.dir=s3a://bucket/runs/x");
        assertEquals("hdfs://nn:8020/data/listops#v2", c.data().path());
        assertEquals("s3a://bucket/runs/x", c.output().dir());
        assertEquals("s3a://bucket/runs/x/checkpoints", c.output().checkpointsDir());
    }

    @Test
    void nullValueIsRejectedWhereItWasWritten() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("surnn.data.path=/d", "model.hidden=null"));
        assertEquals("--set model.hidden=null: model.hidden: must not be null", e.getMessage());
    }

    @Test
    void sparkSettingsFillOnlyWhatSparkSubmitLeftUnset() {
        RunConfig c = parse("surnn { data.path = /d, spark { master = \"spark://h:7077\", app-name = x\n"
                + " conf { \"spark.executor.memory\" = 4g, \"spark.executor.cores\" = 2 } } }");
        SparkConf fromSubmit = new SparkConf(false).setMaster("yarn").set("spark.executor.memory", "8g");
        c.spark().applyTo(fromSubmit);
        assertEquals("yarn", fromSubmit.get("spark.master"));
        assertEquals("8g", fromSubmit.get("spark.executor.memory"));
        assertEquals("2", fromSubmit.get("spark.executor.cores"));
        assertEquals("x", fromSubmit.get("spark.app.name"));
        assertEquals("spark://h:7077", c.spark().applyTo(new SparkConf(false)).get("spark.master"));
    }

    @Test
    void submitsMainClassNameGivesWayToTheConfigsAppNameButAUsersNameStays() {
        RunConfig c = parse("surnn { data.path = /d, spark.app-name = myrun }");
        SparkConf submitted = new SparkConf(false).setAppName("io.surnn.driver.cli.DriverMain");
        assertEquals("myrun", c.spark().applyTo(submitted).get("spark.app.name"));
        SparkConf named = new SparkConf(false).setAppName("nightly-wt2");
        assertEquals("nightly-wt2", c.spark().applyTo(named).get("spark.app.name"));
    }

    @Test
    void overrideWithoutEqualsSignIsRejected() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("surnn.data.path=/d", "train.epochs"));
        assertEquals("--set train.epochs: expected key=value, e.g. --set train.epochs=3", e.getMessage());
    }

    @Test
    void outputDirFollowsTaskUnlessSet() {
        assertEquals("runs/listops", parse("surnn { task = listops, data.path = /d }").output().dir());
        assertEquals("/tmp/o", parse("surnn { task = listops, data.path = /d }", "output.dir=/tmp/o").output().dir());
    }

    @Test
    void sparkConfPassesDottedKeysThroughInOrderAndNullRemovesThem() {
        RunConfig c = parse("surnn { data.path = /d\n spark.conf { \"spark.executor.memory\" = 4g\n"
                + " spark.executorEnv.OMP_NUM_THREADS = 2\n \"spark.driver.host\" = \"127.0.0.1\" } }",
                "spark.conf.\"spark.driver.host\"=null");
        assertEquals(List.of("spark.executor.memory", "spark.executorEnv.OMP_NUM_THREADS"),
                List.copyOf(c.spark().conf().keySet()));
        assertEquals("4g", c.spark().conf().get("spark.executor.memory"));
        assertEquals("2", c.spark().conf().get("spark.executorEnv.OMP_NUM_THREADS"));
    }

    @Test
    void renderedConfigLoadsBackToAnEqualConfig() {
        RunConfig c = parse("surnn { task = x, data.path = \"/d\", model.hidden = 77 }", "train.seed=12345678901");
        RunConfig back = ConfigLoader.parse(c.render(), "checkpoint", List.of());
        assertEquals(c.model(), back.model());
        assertEquals(c.train(), back.train());
        assertEquals(12345678901L, back.train().seed());
        assertEquals(c.output(), back.output());
        assertEquals(c.spark(), back.spark());
        assertTrue(c.renderJson().startsWith("{"), c.renderJson());
        assertTrue(c.renderJson().contains("\"hidden\":77"), c.renderJson());
    }

    @Test
    void secretsAreRedactedInEveryRenderingButKeptForSpark() {
        RunConfig c = parse("surnn { data.path = /d, spark.conf { \"spark.hadoop.fs.s3a.secret.key\" = \"S3CR3T-v4lue\"\n"
                + " \"spark.hadoop.fs.s3a.access.key\" = AKIA-id\n \"spark.executor.memory\" = 4g\n"
                + " \"spark.executorEnv.NOTE\" = \"password=hunter2\" } }");
        assertEquals("S3CR3T-v4lue", c.spark().conf().get("spark.hadoop.fs.s3a.secret.key"), "Spark gets the real value");
        assertEquals("S3CR3T-v4lue", c.spark().applyTo(new SparkConf(false)).get("spark.hadoop.fs.s3a.secret.key"));
        for (String text : List.of(c.render(), c.renderJson())) {
            assertFalse(text.contains("S3CR3T") || text.contains("AKIA") || text.contains("hunter2"), text);
            assertTrue(text.contains(Redaction.REPLACEMENT), text);
            assertTrue(text.contains("4g"), "other settings stay: " + text);
        }
        RunConfig back = ConfigLoader.parse(c.render(), "checkpoint", List.of());
        assertEquals(Redaction.REPLACEMENT, back.spark().conf().get("spark.hadoop.fs.s3a.secret.key"));
        assertEquals(c.fingerprint("aa"), back.fingerprint("aa"), "redaction never changes what --resume compares");
    }

    @Test
    void aCustomSparkRedactionRegexIsHonoured() {
        RunConfig c = parse("surnn { data.path = /d, spark.conf { \"spark.redaction.regex\" = \"(?i)secret|mytoken|bucket\"\n"
                + " \"spark.hadoop.fs.s3a.bucket.b.endpoint\" = \"http://private\" } }");
        assertFalse(c.render().contains("http://private"), c.render());
    }

    @Test
    void aSecretGivenWithSetStaysOutOfErrorMessages() {
        ConfigError e = assertThrows(ConfigError.class, () -> parse("surnn.data.path = /d",
                "spark.conf.\"spark.hadoop.fs.s3a.secret.key\"=[S3CR3T, x]"));
        assertTrue(e.getMessage().contains("must be a single value"), e.getMessage());
        assertFalse(e.getMessage().contains("S3CR3T"), e.getMessage());
    }

    @Test
    void fingerprintChangesWithShapeOptimizerAndDatasetOnly() {
        RunConfig base = parse("surnn.data.path=/d");
        String fp = base.fingerprint("aa");
        assertEquals(64, fp.length());
        assertEquals(fp, parse("surnn.data.path=/elsewhere", "train.optimizer.lr=0.5", "train.epochs=9",
                "model.dropout=0.5").fingerprint("aa"), "lr, epochs, dropout, data location do not matter");
        assertNotEquals(fp, base.fingerprint("bb"), "another dataset manifest");
        assertNotEquals(fp, parse("surnn.data.path=/d", "model.hidden=129").fingerprint("aa"));
        assertNotEquals(fp, parse("surnn.data.path=/d", "model.cell=surnn").fingerprint("aa"));
        assertNotEquals(fp, parse("surnn.data.path=/d", "train.optimizer.name=adamw").fingerprint("aa"));
    }

    @Test
    void learningRateScheduleWarmsUpThenDecaysToTheFloor() {
        TrainConfig t = parse("surnn.data.path=/d", "train.warmup-steps=10", "train.decay=cosine",
                "train.min-lr-fraction=0.1", "train.optimizer.lr=1.0").train();
        assertEquals(0.1, t.learningRateAt(0, 110), 1e-12);
        assertEquals(1.0, t.learningRateAt(9, 110), 1e-12);
        assertEquals(1.0, t.learningRateAt(10, 110), 1e-12);
        assertEquals(0.55, t.learningRateAt(60, 110), 1e-12);
        assertEquals(0.1, t.learningRateAt(110, 110), 1e-12);
    }
}
