package io.surnn.prep.tasks.listops;

import io.surnn.prep.PrepTestSupport.Run;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class ListOpsPrepTest {
    static SparkSession spark;
    @TempDir
    static Path tmp;
    static Path generated;

    @BeforeAll
    static void start() {
        spark = session("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** 60/10/10 trees with the LRA length bounds, plus the TSV files; made once. */
    static synchronized Path generated() {
        if (generated == null) {
            generated = tmp.resolve("gen");
            Run r = prep(spark, "listops", "--output", generated.toString(), "--train", "60", "--val", "10",
                    "--test", "10", "--seed", "7", "--tsv", "--shards", "3", "--quiet");
            assertEquals(0, r.code, r.toString());
        }
        return generated;
    }

    /**
     * Evaluates a ListOps expression given as TSV text, written here independently of the
     * generator: a stack machine over the whitespace tokens, parentheses ignored.
     */
    static int evaluate(String source) {
        Deque<String> ops = new ArrayDeque<>();
        Deque<List<Integer>> args = new ArrayDeque<>();
        Integer result = null;
        for (String tok : source.split(" ")) {
            if (tok.equals("(") || tok.equals(")") || tok.isEmpty()) continue;
            if (tok.startsWith("[")) {
                ops.push(tok);
                args.push(new ArrayList<>());
            } else if (tok.equals("]") || tok.equals("X")) {
                String op = ops.pop();
                List<Integer> a = args.pop();
                int v;
                if (op.equals("[MIN")) v = a.stream().mapToInt(i -> i).min().getAsInt();
                else if (op.equals("[MAX")) v = a.stream().mapToInt(i -> i).max().getAsInt();
                else if (op.equals("[SM")) v = a.stream().mapToInt(i -> i).sum() % 10;
                else if (op.equals("[MED")) {
                    int[] s = a.stream().mapToInt(i -> i).sorted().toArray();
                    double med = s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
                    v = (int) med;
                } else throw new AssertionError("operator " + op);
                if (args.isEmpty()) result = v;
                else args.peek().add(v);
            } else {
                int d = Integer.parseInt(tok);
                if (args.isEmpty()) result = d;
                else args.peek().add(d);
            }
        }
        assertTrue(ops.isEmpty(), "unbalanced: " + source);
        return result;
    }

    /** Ids back to LRA text (vocab.txt), for the evaluator. */
    static String decode(int[] ids, List<String> vocab) {
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(vocab.get(id)).append(' ');
        return sb.toString().trim();
    }

    @Test
    void everyGeneratedLabelIsTheExpressionsValueAndLengthsAreWithinBounds() throws IOException {
        Path out = generated();
        DatasetDirectory d = DatasetDirectory.open(out.toString());
        d.verify();
        List<String> vocab = d.readVocab();
        assertEquals(List.of("<pad>", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "[MIN", "[MAX", "[MED", "[SM", "X"),
                vocab);
        Set<String> seen = new HashSet<>();
        for (String split : List.of("train", "valid", "test")) {
            List<Row> rows = rows(spark, out, split);
            assertEquals(d.manifest().splits.get(split).records, rows.size());
            for (Row r : rows) {
                int[] t = ints(r, "tokens");
                assertTrue(t.length > 500 && t.length < 2000, "length " + t.length);
                String text = decode(t, vocab);
                assertEquals(evaluate(text), r.getInt(r.fieldIndex("label")), text);
                assertTrue(seen.add(text), "duplicate tree across splits: " + text);
            }
        }
        assertEquals(80, seen.size());
    }

    @Test
    void tsvFilesRoundTripThroughTheReader() throws IOException {
        Path out = generated();
        Path tsv = out.resolve("tsv");
        List<String> lines = Files.readAllLines(tsv.resolve("basic_val.tsv"));
        assertEquals("Source\tTarget", lines.get(0));
        assertEquals(11, lines.size());
        for (String l : lines.subList(1, lines.size())) {
            String[] f = l.split("\t");
            assertTrue(f[0].startsWith("( "), f[0]);
            assertEquals(evaluate(f[0]), Integer.parseInt(f[1]), f[0]);
        }
        Path back = tmp.resolve("back");
        Run r = prep(spark, "listops", "--input", tsv.toString(), "--output", back.toString(), "--quiet");
        assertEquals(0, r.code, r.toString());
        for (String split : List.of("train", "valid", "test")) {
            List<Row> a = rows(spark, out, split), b = rows(spark, back, split);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(ints(a.get(i), "tokens"), ints(b.get(i), "tokens"), split + " row " + i);
                assertEquals(a.get(i).getInt(2), b.get(i).getInt(2));
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameDataAndAnotherSeedDoesNot() throws IOException {
        Path again = tmp.resolve("again");
        Run r = prep(spark, "listops", "--output", again.toString(), "--train", "60", "--val", "10",
                "--test", "10", "--seed", "7", "--shards", "3", "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetManifest a = DatasetDirectory.open(generated().toString()).manifest();
        DatasetManifest b = DatasetDirectory.open(again.toString()).manifest();
        for (String split : List.of("train", "valid", "test")) {
            for (int s = 0; s < 3; s++) {
                assertEquals(a.splits.get(split).shards.get(s).sha256, b.splits.get(split).shards.get(s).sha256);
            }
        }
        // another seed: other trees (checked on the generator itself, without another Spark job)
        String first7 = new ListOpsGenerator(7, 500, 2000, 10, 10).candidates(0, 1).next().render();
        String first8 = new ListOpsGenerator(8, 500, 2000, 10, 10).candidates(0, 1).next().render();
        assertNotEquals(first7, first8);
        assertEquals(first7, new ListOpsGenerator(7, 500, 2000, 10, 10).candidates(0, 3).next().render());
    }

    @Test
    void theSixRealRowsReadWithTheirLabels() throws IOException {
        Path real = sharedData("lra-listops/ballout_basic_test_first6.tsv");
        Path in = tmp.resolve("real");
        Files.createDirectories(in);
        Files.writeString(in.resolve("basic_train.tsv"), "Source\tTarget\n");
        Files.writeString(in.resolve("basic_val.tsv"), "Source\tTarget\n");
        Files.copy(real, in.resolve("basic_test.tsv"));
        Path out = tmp.resolve("real-out");
        Run r = prep(spark, "listops", "--input", in.toString(), "--output", out.toString(), "--allow-empty", "--quiet");
        assertEquals(0, r.code, r.toString());
        List<Row> rows = rows(spark, out, "test");
        assertEquals(6, rows.size());
        List<String> vocab = DatasetDirectory.open(out.toString()).readVocab();
        int[] labels = rows.stream().mapToInt(x -> x.getInt(2)).toArray();
        assertArrayEquals(new int[]{7, 6, 6, 7, 9, 9}, labels);
        List<String> src = Files.readAllLines(real).subList(1, 7);
        for (int i = 0; i < 6; i++) {
            assertEquals(labels[i], evaluate(decode(ints(rows.get(i), "tokens"), vocab)), "row " + i);
            String lra = src.get(i).split("\t")[0].replace("]", "X").replace("(", "").replace(")", "")
                    .trim().replaceAll("\\s+", " ");
            assertEquals(lra, decode(ints(rows.get(i), "tokens"), vocab));
        }
        assertEquals(0L, DatasetDirectory.open(out.toString()).manifest().splits.get("train").records);
    }

    private Path badTsv(String name, String badRow) throws IOException {
        Path in = tmp.resolve(name);
        Files.createDirectories(in);
        String good = "( ( ( [MAX 4 ) 7 ) ] )\t7\n";
        Files.writeString(in.resolve("basic_train.tsv"), "Source\tTarget\n" + good + good);
        Files.writeString(in.resolve("basic_val.tsv"), "Source\tTarget\n" + good + badRow + good, StandardCharsets.UTF_8);
        Files.writeString(in.resolve("basic_test.tsv"), "Source\tTarget\n" + good);
        return in;
    }

    @Test
    void aBadTsvRowFailsNamingFileAndLineAndLeavesNothingBehind() throws IOException {
        Path in = badTsv("badrow", "( ( [MAX 4 ) ] )\n");          // one field
        Path out = tmp.resolve("badrow-out");
        Run r = prep(spark, "listops", "--input", in.toString(), "--output", out.toString(), "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("basic_val.tsv") && r.err.contains("line 3") && r.err.contains("wrong number of fields"),
                r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
        // the train split had been written when valid failed: nothing may remain
        assertFalse(Files.exists(out));
        assertTrue(entries(tmp).stream().noneMatch(n -> n.contains("badrow-out")), entries(tmp).toString());
    }

    @Test
    void aLabelOutOfRangeFailsAndIsCountedUnderSkip() throws IOException {
        Path in = badTsv("badlabel", "( ( ( [MIN 4 ) 7 ) ] )\t12\n");
        Run r = prep(spark, "listops", "--input", in.toString(), "--output", tmp.resolve("badlabel-out").toString(),
                "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("basic_val.tsv") && r.err.contains("line 3") && r.err.contains("label out of range")
                && r.err.contains("12"), r.err);
        Path out = tmp.resolve("badlabel-skip");
        Run s = prep(spark, "listops", "--input", in.toString(), "--output", out.toString(), "--on-bad-record", "skip",
                "--quiet");
        assertEquals(0, s.code, s.toString());
        DatasetManifest m = DatasetDirectory.open(out.toString()).manifest();
        assertEquals(Map.of("label out of range", 1L), m.skipped);
        assertEquals(2L, m.splits.get("valid").records);
        assertTrue(s.out.contains("Skipped: 1"), s.out);
    }

    @Test
    void renderingMatchesTheReferenceFormat() {
        ListOpsTree t0 = ListOpsTree.node("[MAX", ListOpsTree.leaf(4), ListOpsTree.leaf(7));
        assertEquals("( ( ( [MAX 4 ) 7 ) ] )", t0.render());
        ListOpsTree med = ListOpsTree.node("[MED", ListOpsTree.leaf(3), t0, ListOpsTree.leaf(2), ListOpsTree.leaf(8));
        assertEquals("( ( ( ( ( [MED 3 ) ( ( ( [MAX 4 ) 7 ) ] ) ) 2 ) 8 ) ] )", med.render());
        assertEquals(5, med.value());   // median of 2 3 7 8 = 5.0
        assertEquals(9, med.length());   // [MED 3 [MAX 4 7 ] 2 8 ]
        ListOpsGenerator gen = new ListOpsGenerator(3, 20, 60, 10, 10);
        var it = gen.candidates(0, 5);
        while (it.hasNext()) {
            ListOpsTree t = it.next();
            String src = t.render();
            assertTrue(t.length() > 20 && t.length() < 60);
            assertArrayEquals(t.tokens(), ListOpsVocab.encode(src));
            assertEquals(evaluate(src), t.value(), src);
            long opens = src.chars().filter(ch -> ch == '(').count(), closes = src.chars().filter(ch -> ch == ')').count();
            assertEquals(opens, closes);
            assertEquals(Arrays.stream(src.split(" ")).filter(x -> !x.equals("(") && !x.equals(")")).count(), t.length());
        }
    }
}
