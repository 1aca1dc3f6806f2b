package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReporterTest {
    @TempDir
    Path tmp;

    private RunConfig config() {
        return ConfigLoader.parse("surnn { task = t, data.path = /d }", "t", List.of("output.dir=" + tmp.resolve("run")));
    }

    @Test
    void eachEventIsOneFlushedJsonLineWithTheDocumentedKeys() throws IOException {
        try (RunReporter r = RunReporter.open(config(), new Configuration(), false)) {
            r.log(MetricsEvent.train(1.5, 0, 10, 2, 2.25, 1e-3, 850, "ex/s", List.of(0.2, 0.3)));
            r.log(MetricsEvent.validation(2.0, 0, 10, 2, "val_accuracy", 0.4));
            // Visible before close: flushed per line.
            List<String> lines = Files.readAllLines(tmp.resolve("run/metrics.jsonl"));
            assertEquals(2, lines.size());
            JsonNode train = new ObjectMapper().readTree(lines.get(0));
            assertEquals("train", train.get("event").asText());
            assertEquals(10, train.get("step").asLong());
            assertEquals(0, train.get("epoch").asInt());
            assertEquals(2.25, train.get("loss").asDouble());
            assertEquals(1e-3, train.get("lr").asDouble());
            assertEquals(850, train.get("tokens_or_examples_per_s").asDouble());
            assertEquals(0.3, train.get("update_rates").get(1).asDouble());
            assertEquals(0.4, new ObjectMapper().readTree(lines.get(1)).get("val_accuracy").asDouble());
        }
    }

    @Test
    void resumeKeepsEarlierEventsAndDropsACutLine() throws IOException {
        try (RunReporter r = RunReporter.open(config(), new Configuration(), false)) {
            r.log(MetricsEvent.train(1, 0, 10, 2, 2.0, 1e-3, 800, "ex/s", List.of(0.2)));
        }
        Files.writeString(tmp.resolve("run/metrics.jsonl"), "{\"event\":\"tra", StandardOpenOption.APPEND);
        try (RunReporter r = RunReporter.open(config(), new Configuration(), true)) {
            r.log(MetricsEvent.train(2, 0, 20, 4, 1.5, 1e-3, 800, "ex/s", List.of(0.25)));
            assertEquals(List.of(10L, 20L), r.history().stream().map(MetricsEvent::step).toList());
            assertEquals(0.2, r.history().get(0).updateRates().get(0));
        }
        assertEquals(2, Files.readAllLines(tmp.resolve("run/metrics.jsonl")).size());

        try (RunReporter fresh = RunReporter.open(config(), new Configuration(), false)) {
            assertTrue(fresh.history().isEmpty(), "a new run starts a new file");
        }
        assertEquals(0, Files.size(tmp.resolve("run/metrics.jsonl")));
    }

    @Test
    void finishWritesTheReportFromTheLoggedHistory() throws IOException {
        String html;
        try (RunReporter r = RunReporter.open(config(), new Configuration(), false)) {
            for (MetricsEvent e : ReportWriterTest.syntheticHistory(true)) r.log(e);
            html = r.finish(new FinalMetrics("accuracy", 0.5, 0.6, 10, 900, "ex/s", 100, 200, 2, List.of(0.3)));
        }
        assertTrue(Files.isRegularFile(Path.of(html)));
        assertTrue(Files.isRegularFile(tmp.resolve("run/metrics.json")));
        assertTrue(Files.isRegularFile(tmp.resolve("run/charts/update_rate.png")));
    }
}
