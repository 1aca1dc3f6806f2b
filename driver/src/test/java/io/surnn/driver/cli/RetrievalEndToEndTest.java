package io.surnn.driver.cli;

import static io.surnn.driver.testutil.DriverCli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.prep.PrepMain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * LRA Retrieval end to end, in-process: AAN-format TSV files written here → {@code prep aan} (data-prep,
 * kind PAIR) → {@code train} with the shipped conf/retrieval-tiny.conf (a dual encoder, a
 * ComputationGraph) on local[2] → {@code evaluate} and {@code export} on the saved model → {@code train
 * --resume} for one more epoch from the graph's checkpoint (parameters and updater state).
 *
 * <p>The synthetic task: each text is drawn from one of two disjoint alphabets; a pair is labelled 1
 * when both texts use the same alphabet. The encoder's pooled states separate the alphabets easily
 * and the head's u⊙v / u−v features compare them, so the loss falls within a few dozen steps.
 */
class RetrievalEndToEndTest {
    private static final String[] ALPHABETS = {"abcdefgh", "stuvwxyz"};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    static Path data;

    @BeforeAll
    static void prepareAan() throws IOException {
        Path in = tmp.resolve("aan-tsv");
        Files.createDirectories(in);
        Random rnd = new Random(17);
        writePairs(in.resolve("new_aan_pairs.train.tsv"), 384, rnd);
        writePairs(in.resolve("new_aan_pairs.eval.tsv"), 64, rnd);
        writePairs(in.resolve("new_aan_pairs.test.tsv"), 96, rnd);
        data = tmp.resolve("aan");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = PrepMain.run(null, new PrintStream(java.io.OutputStream.nullOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                "aan", "--input", in.toString(), "--output", data.toString(), "--max-len", "24", "--shards", "2",
                "--master", "local[2]", "--quiet");
        assertEquals(0, rc, err.toString(StandardCharsets.UTF_8));
    }

    /** label \t id1 \t id2 \t text1 \t text2, with a header line as in LRA's files. */
    private static void writePairs(Path file, int n, Random rnd) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("label\tid1\tid2\ttext1\ttext2");
        for (int i = 0; i < n; i++) {
            int a = rnd.nextInt(2);
            int label = rnd.nextInt(2);
            int b = label == 1 ? a : 1 - a;
            lines.add(label + "\tP" + i + "a\tP" + i + "b\t" + text(ALPHABETS[a], rnd) + "\t" + text(ALPHABETS[b], rnd));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** 8 to 31 letters: some shorter and some longer than --max-len 24 (truncated). */
    private static String text(String alphabet, Random rnd) {
        StringBuilder s = new StringBuilder();
        int len = 8 + rnd.nextInt(24);
        for (int i = 0; i < len; i++) {
            s.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    private static Path retrievalTinyConf() {
        String root = System.getProperty("surnn.repo.root");
        assumeTrue(root != null, "system property surnn.repo.root (set by surefire) is missing");
        Path conf = Path.of(root, "conf", "retrieval-tiny.conf");
        assumeTrue(Files.isRegularFile(conf), conf + " is missing");
        return conf;
    }

    private static Object[] train(Path out, int epochs, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--config", retrievalTinyConf().toString(), "--master", "local[2]",
                "--set", "data.path=" + data, "--set", "output.dir=" + out,
                "--set", "train.epochs=" + epochs, "--set", "train.max-steps=-1", "--set", "train.workers=2",
                "--set", "train.optimizer.lr=0.01", "--set", "train.optimizer.weight-decay=0", "--set", "train.prefetch=0"));
        args.addAll(List.of(extra));
        return run(args.toArray(new String[0]));
    }

    @Test
    void dualEncoderTrainsOnPreparedAanAndEvaluateReproducesTheTestAccuracy() throws IOException {
        Path out = tmp.resolve("run");
        Object[] r = train(out, 3);
        assertEquals(0, r[0], r[1] + "\n" + r[2]);
        String stdout = (String) r[1];

        JsonNode metrics = JSON.readTree(out.resolve("metrics.json").toFile());
        double testAccuracy = metrics.get("test_accuracy").asDouble(-1);
        assertTrue(testAccuracy >= 0 && testAccuracy <= 1, "test_accuracy " + metrics);
        JsonNode info = JSON.readTree(out.resolve("model/model.json").toFile());
        assertEquals("ComputationGraph", info.get("network").asText());
        assertEquals("PAIR", info.get("kind").asText());

        List<Double> losses = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            JsonNode e = JSON.readTree(line);
            if ("train".equals(e.path("event").asText())) {
                losses.add(e.get("loss").asDouble());
            }
        }
        assertTrue(losses.size() >= 12, "train events: " + losses);
        double first = mean(losses.subList(0, 4));
        double last = mean(losses.subList(losses.size() - 4, losses.size()));
        assertTrue(last < first * 0.8, "training loss did not fall: " + losses);
        System.out.println("RetrievalEndToEndTest: train loss " + first + " -> " + last + ", test accuracy " + testAccuracy);

        String testLine = stdout.lines().filter(l -> l.startsWith("test: accuracy")).findFirst().orElseThrow();
        Object[] ev = run("evaluate", "--model", out.resolve("model").toString(), "--data", data.toString(),
                "--master", "local[2]");
        assertEquals(0, ev[0], (String) ev[2]);
        String evLine = ((String) ev[1]).lines().filter(l -> l.startsWith("test: accuracy")).findFirst().orElseThrow();
        assertEquals(testLine, evLine, "evaluate on the saved model vs the end of training");
        assertEquals(String.format("%.4f", testAccuracy), evLine.split(" ")[2]);

        Path exported = tmp.resolve("export");
        Object[] ex = run("export", "--model", out.resolve("model").toString(), "--out", exported.toString());
        assertEquals(0, ex[0], (String) ex[2]);
        assertTrue(Files.size(exported.resolve("params.npz")) > 0);
        assertTrue(Files.readString(exported.resolve("configuration.json")).contains("\"vertices\""), "a graph configuration");

        // 384 pairs / 8 = 48 minibatches = 12 rounds of 2 workers x 2 = 24 steps per epoch
        assertTrue(stdout.contains("step 72/72"), stdout);
        Object[] resumed = train(out, 4, "--resume");
        assertEquals(0, resumed[0], resumed[1] + "\n" + resumed[2]);
        String rs = (String) resumed[1];
        assertTrue(rs.contains("resuming from") && rs.contains("(epoch 4, step 72)"), rs);
        assertTrue(rs.contains("step 96/96") && !rs.contains("step 2/96 "), rs);
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
