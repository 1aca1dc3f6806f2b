package io.surnn.prep.tasks.wikitext;

import io.surnn.prep.PrepTestSupport.Run;
import io.surnn.prep.format.DatasetDirectory;
import io.surnn.prep.format.DatasetManifest;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.surnn.prep.PrepTestSupport.*;
import static org.junit.jupiter.api.Assertions.*;

class WikiTextPrepTest {
    static SparkSession spark;
    @TempDir
    static Path tmp;
    static Path wt2Out;

    @BeforeAll
    static void start() {
        spark = session("local[2]");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    /** WikiText-2 prepared once for the tests that need it (skipped when the shared copy is absent). */
    static synchronized Path wt2() {
        Path in = sharedData("wikitext-2");
        if (wt2Out == null) {
            Path out = tmp.resolve("wt2");
            Run r = prep(spark, "wikitext", "--input", in.toString(), "--output", out.toString(), "--shards", "2",
                    "--quiet");
            assertEquals(0, r.code, r.toString());
            wt2Out = out;
        }
        return wt2Out;
    }

    /** The token stream of a split, rebuilt from its overlapping windows. */
    static List<Integer> stream(List<Row> windows, int seqLen) {
        List<Integer> s = new ArrayList<>();
        for (int j = 0; j < windows.size(); j++) {
            Row r = windows.get(j);
            assertEquals((long) j, r.getLong(0));
            assertEquals((long) j * seqLen, r.getLong(1), "offset of window " + j);
            int[] t = ints(r, "tokens");
            for (int i = j == 0 ? 0 : 1; i < t.length; i++) s.add(t[i]);
        }
        return s;
    }

    /** Python-style tokens + <eos> per line, read here independently of the job. */
    static List<String> referenceTokens(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            for (String t : line.trim().split("[\\s\\u00a0]+")) if (!t.isEmpty()) out.add(t);
            out.add("<eos>");
        }
        return out;
    }

    @Test
    void wikiText2HasThePublishedTokenCountsAndVocabularySize() throws IOException {
        DatasetDirectory d = DatasetDirectory.open(wt2().toString());
        d.verify();
        DatasetManifest m = d.manifest();
        assertEquals(2_088_628L, m.splits.get("train").tokens);
        assertEquals(217_646L, m.splits.get("valid").tokens);
        assertEquals(245_569L, m.splits.get("test").tokens);
        assertEquals(33_278, m.vocabSize);
        assertEquals(33_278, d.readVocab().size());
        assertEquals(1024, m.seqLen);
        assertEquals((2_088_628L - 1 + 1023) / 1024, m.splits.get("train").records);
        assertEquals("0", m.options.get("oov.valid"));
        assertTrue(m.skipped.isEmpty());
    }

    /**
     * The WikiText-103 layout (wiki.{train,valid,test}.tokens). Only its valid and test splits are
     * available here (the 539 MB train split must come from the user), so the valid file also stands in
     * for train: what is checked is the layout, the published valid/test token counts, the
     * frequency-ordered vocabulary the adaptive softmax's cut-offs rely on, and test words outside it
     * counted as unknown.
     */
    @Test
    void wikiText103LayoutPreparesFromTheOfficialFileNames() throws IOException {
        Path shared = sharedData("wikitext-103");
        Path in = Files.createDirectories(tmp.resolve("wt103-in"));
        Files.createSymbolicLink(in.resolve("wiki.train.tokens"), shared.resolve("wiki.valid.tokens"));
        Files.createSymbolicLink(in.resolve("wiki.valid.tokens"), shared.resolve("wiki.valid.tokens"));
        Files.createSymbolicLink(in.resolve("wiki.test.tokens"), shared.resolve("wiki.test.tokens"));
        Path out = tmp.resolve("wt103");
        Run r = prep(spark, "wikitext", "--input", in.toString(), "--output", out.toString(), "--shards", "2", "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetDirectory d = DatasetDirectory.open(out.toString());
        d.verify();
        DatasetManifest m = d.manifest();
        assertEquals(217_646L, m.splits.get("valid").tokens);
        assertEquals(245_569L, m.splits.get("test").tokens);
        List<String> valid = referenceTokens(shared.resolve("wiki.valid.tokens"));
        java.util.Map<String, Integer> counts = new java.util.HashMap<>();
        for (String t : valid) counts.merge(t, 1, Integer::sum);
        assertEquals(counts.size(), m.vocabSize);
        List<String> vocab = d.readVocab();
        for (int i = 1; i < vocab.size(); i++) {
            assertTrue(counts.get(vocab.get(i - 1)) >= counts.get(vocab.get(i)),
                    "vocabulary not in descending frequency order at id " + i + ": " + vocab.get(i - 1) + ", " + vocab.get(i));
        }
        assertEquals(List.of("the", ",", "."), vocab.subList(0, 3));
        long oov = referenceTokens(shared.resolve("wiki.test.tokens")).stream().filter(t -> !counts.containsKey(t)).count();
        assertEquals(String.valueOf(oov), m.options.get("oov.test"));
    }

    @Test
    void wikiText2IdsDecodeBackToTheOriginalTokens() throws IOException {
        Path out = wt2();
        Path in = sharedData("wikitext-2");
        List<String> vocab = DatasetDirectory.open(out.toString()).readVocab();
        List<Integer> valid = stream(rows(spark, out, "valid"), 1024);
        List<String> want = referenceTokens(in.resolve("valid.txt"));
        assertEquals(want.size(), valid.size());
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i), vocab.get(valid.get(i)), "valid token " + i);
        }
        // a sample of train: the first 3 windows and the last one
        List<Row> train = rows(spark, out, "train");
        List<String> trainWant = referenceTokens(in.resolve("train.txt"));
        for (int j : new int[]{0, 1, 2, train.size() - 1}) {
            int[] t = ints(train.get(j), "tokens");
            for (int i = 0; i < t.length; i++) {
                assertEquals(trainWant.get(j * 1024 + i), vocab.get(t[i]), "train window " + j + " token " + i);
            }
        }
    }

    private static Path corpus(String name, byte[] train, byte[] valid, byte[] test) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.write(dir.resolve("train.txt"), train);
        Files.write(dir.resolve("valid.txt"), valid);
        Files.write(dir.resolve("test.txt"), test);
        return dir;
    }

    @Test
    void byteLevelStreamIsTheFileBytesAndCharLevelDecodesToTheText() throws IOException {
        String text = " = Héllo wörld = \n\n ünïcode 😀 line\u00a0two \n last\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        Path in = corpus("levels", bytes, bytes, bytes);
        Path byteOut = tmp.resolve("levels-byte"), charOut = tmp.resolve("levels-char");
        Run rb = prep(spark, "wikitext", "--input", in.toString(), "--output", byteOut.toString(),
                "--level", "byte", "--window", "6", "--quiet");
        assertEquals(0, rb.code, rb.toString());
        List<Integer> s = stream(rows(spark, byteOut, "test"), 5);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        s.forEach(got::write);
        assertArrayEquals(bytes, got.toByteArray());
        assertEquals(256, DatasetDirectory.open(byteOut.toString()).manifest().vocabSize);
        assertNull(DatasetDirectory.open(byteOut.toString()).manifest().vocabFile);

        Run rc = prep(spark, "wikitext", "--input", in.toString(), "--output", charOut.toString(),
                "--level", "char", "--window", "4", "--quiet");
        assertEquals(0, rc.code, rc.toString());
        List<String> vocab = DatasetDirectory.open(charOut.toString()).readVocab();
        StringBuilder sb = new StringBuilder();
        for (int id : stream(rows(spark, charOut, "valid"), 3)) {
            String t = vocab.get(id);
            sb.append(t.equals("<eos>") ? "\n" : t);
        }
        assertEquals(text, sb.toString());
    }

    @Test
    void wordLevelSplitsLikePythonAndCountsUnknownWordsAsUnk() throws IOException {
        Path in = corpus("oov", "a b\u00a0c\n\nb a\n".getBytes(StandardCharsets.UTF_8),
                "a zz b\n".getBytes(StandardCharsets.UTF_8), "c\n".getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("oov-out");
        Run r = prep(spark, "wikitext", "--input", in.toString(), "--output", out.toString(), "--window", "3", "--quiet");
        assertEquals(0, r.code, r.toString());
        DatasetDirectory d = DatasetDirectory.open(out.toString());
        // train: a b c <eos> <eos> b a <eos> = 8 tokens; counts a2 b2 <eos>3 c1 → <eos>, a, b, c, then <unk>
        assertEquals(List.of("<eos>", "a", "b", "c", "<unk>"), d.readVocab());
        assertEquals(8L, d.manifest().splits.get("train").tokens);
        assertEquals("1", d.manifest().options.get("oov.valid"));
        List<Integer> valid = stream(rows(spark, out, "valid"), 2);
        assertEquals(List.of(1, 4, 2, 0), valid);
    }

    @Test
    void invalidUtf8FailsNamingFileAndLineAndLeavesNoOutput() throws IOException {
        byte[] bad = "good line\nsecond\nbad \u0000\n".getBytes(StandardCharsets.UTF_8);
        bad[bad.length - 2] = (byte) 0xFF;   // line 3 holds an invalid byte
        Path in = corpus("badutf", bad, "ok\n".getBytes(StandardCharsets.UTF_8), "ok\n".getBytes(StandardCharsets.UTF_8));
        Path out = tmp.resolve("badutf-fail");
        Run r = prep(spark, "wikitext", "--input", in.toString(), "--output", out.toString(), "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("train.txt") && r.err.contains("line 3") && r.err.contains("invalid UTF-8"), r.err);
        assertEquals(1, r.err.strip().lines().count(), "one-line error: " + r.err);
        assertFalse(Files.exists(out));
        assertTrue(entries(tmp).stream().noneMatch(n -> n.startsWith(".badutf-fail")), "temp dir left: " + entries(tmp));

        Path skipped = tmp.resolve("badutf-skip");
        Run s = prep(spark, "wikitext", "--input", in.toString(), "--output", skipped.toString(),
                "--on-bad-record", "skip", "--quiet");
        assertEquals(0, s.code, s.toString());
        DatasetManifest m = DatasetDirectory.open(skipped.toString()).manifest();
        assertEquals(Map.of("invalid UTF-8", 1L), m.skipped);
        assertEquals(5L, m.splits.get("train").tokens);   // "good line <eos> second <eos>"
    }

    @Test
    void aMissingSplitIsAOneLineErrorWithExitCode2() throws IOException {
        Path dir = tmp.resolve("nosplit");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("wiki.train.tokens"), "a\n");
        Files.writeString(dir.resolve("wiki.valid.tokens"), "a\n");
        Run r = prep(spark, "wikitext", "--input", dir.toString(), "--output", tmp.resolve("nosplit-out").toString(),
                "--quiet");
        assertEquals(2, r.code, r.toString());
        assertTrue(r.err.contains("no test split") && r.err.contains("wiki.test.tokens"), r.err);
        assertEquals(1, r.err.strip().lines().count(), r.err);
    }
}
