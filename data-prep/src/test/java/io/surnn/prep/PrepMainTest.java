package io.surnn.prep;

import io.surnn.prep.PrepTestSupport.Run;
import io.surnn.prep.core.PrepCommand;
import io.surnn.prep.core.PrepContext;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class PrepMainTest {
    static SparkSession spark;
    @TempDir
    static Path tmp;

    @BeforeAll
    static void start() {
        spark = session("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** Writes its train split, then fails: a job dying half-way. */
    @CommandLine.Command(name = "fail-midway")
    static final class FailMidway extends PrepCommand {
        @Override
        protected void prepare(PrepContext ctx) throws Exception {
            ctx.manifest().kind = DatasetFormat.Kind.CLASSIFICATION;
            ctx.manifest().vocabSize = 3;
            List<org.apache.spark.sql.Row> rows = new ArrayList<>();
            for (long i = 0; i < 10; i++) rows.add(RowFactory.create(i, new int[]{1, 2}, 0));
            ctx.writer().writeSplit("train", DatasetFormat.Kind.CLASSIFICATION, ctx.jsc().parallelize(rows, 2), 10, 2);
            ctx.jsc().parallelize(List.of(1, 2, 3), 2).foreach(x -> {
                if (x == 3) throw new IllegalStateException("injected failure");
            });
        }
    }

    private static Run runWithFailingTask(String... args) {
        CommandLine cl = PrepMain.commandLine();
        cl.addSubcommand(new FailMidway());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = PrepMain.execute(cl, spark, new PrintStream(out, true), new PrintStream(err, true), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anUnknownTaskIsAOneLineErrorWithExitCode2() {
        Run r = prep(null, "imagenet", "--output", tmp.resolve("x").toString());
        assertEquals(2, r.code, r.toString());
        assertEquals("surnn prep: error: unknown task 'imagenet' (surnn prep --help lists the tasks)", r.err.strip());
    }

    @Test
    void helpListsTheTasks() {
        Run r = prep(null, "--help");
        assertEquals(0, r.code);
        for (String t : List.of("wikitext", "listops", "selective-copy")) assertTrue(r.out.contains(t), r.out);
        assertEquals(2, prep(null).code, "no task");
    }

    @Test
    void aMissingInputIsAOneLineErrorWithExitCode2() {
        Path missing = tmp.resolve("no-such-corpus");
        Run r = prep(spark, "wikitext", "--input", missing.toString(), "--output", tmp.resolve("y").toString(), "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("no-such-corpus") && r.err.contains("does not exist"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertFalse(Files.exists(tmp.resolve("y")));
    }

    @Test
    void aNonEmptyOutputNeedsOverwrite() throws IOException {
        Path out = tmp.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Run r = prep(spark, "selective-copy", "--output", out.toString(), "--train", "3", "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("exists and is not empty") && r.err.contains("--overwrite"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
    }

    @Test
    void aFailureMidJobLeavesNoOutputAndNoTemporaryDirectory() throws IOException {
        Path parent = tmp.resolve("midway");
        Files.createDirectories(parent);
        Run r = runWithFailingTask("fail-midway", "--output", parent.resolve("ds").toString(), "--quiet");
        assertEquals(1, r.code, r.toString());
        assertTrue(r.err.contains("injected failure"), r.err);
        assertEquals(List.of(), entries(parent), "nothing may be left next to the output");
    }

    @Test
    void overwriteReplacesAnOldDatasetOnlyAfterTheNewOneIsComplete() throws IOException {
        Path parent = tmp.resolve("ow");
        Path out = parent.resolve("ds");
        Run first = prep(spark, "selective-copy", "--output", out.toString(), "--train", "4", "--valid", "2",
                "--test", "2", "--length", "10", "--quiet");
        assertEquals(0, first.code, first.toString());
        String before = Files.readString(out.resolve("manifest.json"));
        Run failed = runWithFailingTask("fail-midway", "--output", out.toString(), "--overwrite", "--quiet");
        assertEquals(1, failed.code, failed.toString());
        assertEquals(before, Files.readString(out.resolve("manifest.json")), "old dataset must survive a failed overwrite");
        assertEquals(List.of("ds"), entries(parent));

        Run second = prep(spark, "selective-copy", "--output", out.toString(), "--overwrite", "--train", "5",
                "--valid", "2", "--test", "2", "--length", "10", "--quiet");
        assertEquals(0, second.code, second.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(5L, m.splits.get("train").records);
        assertEquals(List.of("ds"), entries(parent));
    }
}
