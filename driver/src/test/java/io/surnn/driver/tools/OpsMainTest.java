package io.surnn.driver.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class OpsMainTest {

    @TempDir Path dir;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new OpsMain()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void demoHelpListsItsOptionsWithDefaults() {
        String[] r = run("demo", "--help");
        assertEquals("0", r[0]);
        for (String opt : new String[] {"--steps", "--gap", "--hidden", "--seed", "default 200"}) {
            assertTrue(r[1].contains(opt), opt + " missing from: " + r[1]);
        }
    }

    @Test
    void demoTrainsPrintsLossAndUpdateRateAndAccuracy() {
        String[] r = run("demo", "--steps", "4", "--print-every", "2", "--gap", "10", "--hidden", "8", "--eval-size", "16");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].matches("(?s).*step +2 +loss \\d+\\.\\d+ .*update rate rnn0=0\\.\\d{3}.*"), r[1]);
        assertTrue(r[1].contains("held-out accuracy"), r[1]);
    }

    @Test
    void benchWritesOneRowPerCellPathRateAndPhaseWithMeasuredRate() throws Exception {
        Path json = dir.resolve("bench.json");
        String[] r = run("bench", "--hidden", "16", "--batch", "2", "--steps", "16", "--rates", "1.0,0.25",
                "--repeats", "1", "--warmup", "0", "--stream-hidden", "16", "--stream-steps", "4", "--out", json.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("sparse/dense"), r[1]);
        JsonNode rows = new ObjectMapper().readTree(json.toFile());
        // per phase: 1 gemm row + 1 LSTM row + 2 rates x {sparse, dense}; then batch-1 streaming: sparse, dense, LSTM
        assertEquals(2 * (1 + 1 + 2 * 2) + 3, rows.size());
        Set<String> keys = new HashSet<>();
        int streaming = 0;
        for (JsonNode row : rows) {
            row.fieldNames().forEachRemaining(keys::add);
            assertTrue(row.get("tokens_per_s").asDouble() > 0);
            assertTrue(row.get("gflops").asDouble() > 0, row.toString());
            double rate = row.get("update_rate").asDouble();
            assertTrue(rate > 0 && rate <= 1, "measured rate " + rate);
            if (row.get("batch").asInt() == 1) {
                streaming++;
                assertTrue(row.get("latency_ms").asDouble() > 0, row.toString());
            } else if (row.get("path").asText().equals("dense")) {
                assertTrue(row.get("gemm_share").asDouble() > 0, "share of the gemm row: " + row);
            }
        }
        assertEquals(3, streaming, "batch-1 streaming rows");
        assertTrue(keys.containsAll(Set.of("cell", "gate", "path", "hidden", "batch", "steps", "update_rate", "phase",
                "tokens_per_s", "gflops", "gemm_share", "latency_ms")), keys.toString());
    }

    @Test
    void badBenchOptionIsAOneLineUsageError() {
        String[] r = run("bench", "--rates", "1.5");
        assertEquals("2", r[0]);
        assertTrue(r[2].startsWith("--rates must be in (0, 1], got 1.5"), r[2]);
    }
}
