package io.surnn.prep.core;

import io.surnn.prep.PrepTestSupport.Run;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.surnn.prep.PrepTestSupport.prep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An empty or wrong split input stops prep with one line naming the split and the path, unless
 * {@code --allow-empty} asks for an empty split (checked through the ListOps TSV reader, which goes
 * through {@link PrepContext#splitInput} and the writer's check).
 */
class EmptySplitInputTest extends PrepTaskTestBase {
    @TempDir
    static Path tmp;

    private static final String HEADER = "Source\tTarget\n";
    private static final String GOOD = "( ( ( [MAX 4 ) 7 ) ] )\t7\n";

    /** ListOps TSV input with {@code val} as basic_val.tsv's content (null: a directory in its place). */
    private static Path input(String name, String val) throws IOException {
        Path in = tmp.resolve(name);
        Files.createDirectories(in);
        Files.writeString(in.resolve("basic_train.tsv"), HEADER + GOOD + GOOD);
        if (val == null) {
            Files.createDirectories(in.resolve("basic_val.tsv"));
            Files.writeString(in.resolve("basic_val.tsv").resolve("part-0"), HEADER + GOOD);
        } else {
            Files.writeString(in.resolve("basic_val.tsv"), val);
        }
        Files.writeString(in.resolve("basic_test.tsv"), HEADER + GOOD);
        return in;
    }

    private static Run listops(Path in, String out, String... extra) {
        String[] args = {"listops", "--input", in.toString(), "--output", tmp.resolve(out).toString(), "--quiet"};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        return prep(spark, all);
    }

    private static void assertOneLineNaming(Run r, String... parts) {
        assertEquals(2, r.code, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        for (String p : parts) {
            assertTrue(r.err.contains(p), "expected '" + p + "' in: " + r.err);
        }
    }

    @Test
    void anEmptyFileIsRefusedNamingSplitAndPath() throws IOException {
        Path in = input("empty", "");
        Run r = listops(in, "empty-out");
        assertOneLineNaming(r, "split valid", in.resolve("basic_val.tsv").toString(), "is empty", "--allow-empty");
        assertFalse(Files.exists(tmp.resolve("empty-out")));
    }

    @Test
    void aDirectoryWhereTheFileShouldBeIsRefused() throws IOException {
        Path in = input("dir", null);
        Run r = listops(in, "dir-out");
        assertOneLineNaming(r, "split valid", in.resolve("basic_val.tsv").toString(), "is a directory");
        assertFalse(Files.exists(tmp.resolve("dir-out")));
    }

    @Test
    void aFileWithNoRecordsIsRefusedByTheWriter() throws IOException {
        Path in = input("header-only", HEADER);
        Run r = listops(in, "header-only-out");
        assertOneLineNaming(r, "split valid: no records from", "basic_val.tsv", "--allow-empty");
        assertFalse(Files.exists(tmp.resolve("header-only-out")));
    }

    @Test
    void allowEmptyWritesAnEmptySplitOnPurpose() throws IOException {
        Path in = input("allowed", "");
        Run r = listops(in, "allowed-out", "--allow-empty");
        assertEquals(0, r.code, r.toString());
        DatasetManifest m = DatasetDirectory.open(tmp.resolve("allowed-out").toString()).manifest();
        assertEquals(0L, m.splits.get("valid").records);
        assertEquals(2L, m.splits.get("train").records);
    }

    @Test
    void aGeneratedSplitOfZeroRecordsNeedsAllowEmptyToo() {
        Run r = prep(spark, "listops", "--output", tmp.resolve("gen0").toString(), "--train", "20", "--val", "0",
                "--test", "5", "--min-length", "5", "--max-length", "40", "--quiet");
        assertOneLineNaming(r, "split valid: no records", "--allow-empty");
        Run ok = prep(spark, "listops", "--output", tmp.resolve("gen0-ok").toString(), "--train", "20", "--val", "0",
                "--test", "5", "--min-length", "5", "--max-length", "40", "--allow-empty", "--quiet");
        assertEquals(0, ok.code, ok.toString());
    }
}
