package io.surnn.driver.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.testutil.DriverCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code surnn experiment NAME --smoke} end to end through the CLI, for the kinds of experiment
 * (Spark training runs, delayed recall, the gradient path, sparse inference on the trained runs):
 * every run becomes a row with the required keys, and the table (and figure) are written.
 */
class ExperimentSmokeTest {
    @TempDir
    Path tmp;

    private JsonNode run(String name) throws IOException {
        Object[] r = DriverCli.run("experiment", name, "--smoke", "--out", tmp.resolve("out").toString(),
                "--work", tmp.resolve("work").toString(), "--experiments", ExperimentFilesTest.experimentsDir().toString());
        assertEquals(0, r[0], "exit code; stdout:\n" + r[1] + "\nstderr:\n" + r[2]);
        assertTrue(Files.isRegularFile(tmp.resolve("out/" + name + "-smoke.md")));
        String md = Files.readString(tmp.resolve("out/" + name + "-smoke.md"));
        assertTrue(md.contains("**Smoke run**") && md.contains("| task | arm |"), md);
        JsonNode rows = new ObjectMapper().readTree(tmp.resolve("out/" + name + "-smoke.json").toFile());
        assertTrue(rows.isArray() && rows.size() > 0);
        for (JsonNode row : rows) {
            for (String k : Results.REQUIRED) {
                assertTrue(row.has(k), name + " row without " + k + ": " + row);
            }
            assertTrue(row.get("smoke").asBoolean(), row.toString());
        }
        long progress = ((String) r[1]).lines().filter(l -> l.startsWith("experiment " + name + ": [")).count();
        assertTrue(progress > 0, "a progress line per run:\n" + r[1]);
        return rows;
    }

    @Test
    void smokeVersionsRunAndWriteRowsAndTables() throws IOException {
        JsonNode listops = run("listops");
        assertEquals(5, listops.size());
        Set<String> arms = new HashSet<>();
        long sugruParams = -1;
        for (JsonNode row : listops) {
            arms.add(row.get("arm").asText());
            assertEquals("listops", row.get("task").asText());
            assertEquals("accuracy", row.get("metric").asText());
            assertEquals(2.0, row.get("budget_s").asDouble());
            double acc = row.get("value").asDouble();
            assertTrue(acc >= 0 && acc <= 1, row.toString());
            assertTrue(Set.of("max-steps", "max-seconds").contains(row.get("stopped_by").asText()), row.toString());
            if (row.get("arm").asText().equals("sugru")) sugruParams = row.get("params").asLong();
        }
        assertEquals(Set.of("sugru", "sugru-fixed", "sugru-soft", "sugru-dense", "lstm"), arms);
        for (JsonNode row : listops) {
            double dev = Math.abs(row.get("params").asLong() - sugruParams) / (double) sugruParams;
            assertTrue(dev <= 0.05, "equal parameters (±5%): " + row);
        }

        JsonNode inference = run("inference");
        int speedups = 0;
        for (JsonNode row : inference) {
            if (row.get("metric").asText().equals("inference_speedup")) {
                speedups++;
                assertTrue(row.get("value").asDouble() > 0 && row.get("sparse_ms").asDouble() > 0, row.toString());
            } else {
                assertEquals("update_rate", row.get("metric").asText());
                assertTrue(row.has("layer"));
            }
        }
        assertEquals(4, speedups, "one per su-arm of the listops smoke runs");

        JsonNode recall = run("recall-gap");
        assertEquals(2 * 5, recall.size(), "2 gaps x 5 arms");
        Set<Integer> gaps = new HashSet<>();
        recall.forEach(row -> gaps.add(row.get("gap").asInt()));
        assertEquals(Set.of(20, 60), gaps);
        byte[] curve = Files.readAllBytes(tmp.resolve("out/recall-gap-smoke.png"));
        assertEquals(List.of((byte) 0x89, (byte) 'P'), List.of(curve[0], curve[1]), "the accuracy-over-gap figure");

        // a COPY dataset under model.family = lm: per-token accuracy, not a perplexity
        JsonNode copy = run("selective-copy");
        assertEquals(2 * 5, copy.size(), "2 lengths x 5 arms");
        for (JsonNode row : copy) {
            assertEquals("accuracy", row.get("metric").asText());
            double acc = row.get("value").asDouble();
            assertTrue(acc >= 0 && acc <= 1, "per-token accuracy in [0, 1]: " + row);
        }

        // train.eval-records: the smoke block cuts the stand-in's 32 test records to 16
        JsonNode smnist = run("smnist");
        assertEquals(5, smnist.size());
        for (JsonNode row : smnist) {
            assertEquals(16, row.get("test_records").asLong(), row.toString());
        }
        String log = Files.readString(tmp.resolve("work/smnist-smoke/logs/sugru-s1.log"));
        assertTrue(log.contains("test: 16 of 32 records, evenly spaced (train.eval-records)") && log.contains(", 16 examples)"), log);

        JsonNode grad = run("gradient-path");
        assertEquals(2 * 3, grad.size(), "2 lengths x 3 arms");
        for (JsonNode row : grad) {
            assertEquals("grad_norm_h0", row.get("metric").asText());
            assertTrue(row.has("length") && row.get("value").asDouble() >= 0, row.toString());
        }
        byte[] png = Files.readAllBytes(tmp.resolve("out/gradient-path-smoke.png"));
        assertEquals(List.of((byte) 0x89, (byte) 'P'), List.of(png[0], png[1]));
    }
}
