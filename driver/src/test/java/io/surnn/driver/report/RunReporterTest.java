package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunReporterTest {
    @TempDir
    Path tmp;
    private RunLock lock;

    private RunConfig config() {
        return ConfigLoader.parse("surnn { task = t, data.path = /d }", "t", List.of("output.dir=" + tmp.resolve("run")));
    }

    @BeforeEach
    void ownTheRunDirectory() throws IOException {
        lock = RunLock.acquire(tmp.resolve("run").toString(), new Configuration(), "test", false, w -> {});
    }

    @AfterEach
    void release() {
        lock.close();
    }

    @Test
    void onlyTheHolderOfTheRunLockOpensMetricsJsonl() {
        lock.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunReporter.open(config(), new Configuration(), false));
        assertTrue(e.getMessage().contains(RunLock.FILE), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("run/metrics.jsonl")));
    }

    @Test
    void resumeCutsTheHistoryBackToTheCheckpointAndKeepsTheRestAside() throws IOException {
        // epoch 0: rounds at steps 2, 4, 6, validation at 6; epoch 1: rounds at 8, 10 (then killed), a test event.
        try (RunReporter r = RunReporter.open(config(), new Configuration(), false)) {
            for (long step = 2; step <= 6; step += 2) r.log(MetricsEvent.train(step, 0, step, step / 2, 2.0, 1e-3, 800, "ex/s", null));
            r.log(MetricsEvent.evaluation(MetricsEvent.VAL, 7, 0, 6, 3, java.util.Map.of("val_accuracy", 0.5)));
            r.log(MetricsEvent.train(8, 1, 8, 4, 1.5, 1e-3, 800, "ex/s", null));
            r.log(MetricsEvent.train(10, 1, 10, 5, 1.4, 1e-3, 800, "ex/s", null));
        }
        Files.writeString(tmp.resolve("run/metrics.jsonl"), "{\"event\":\"tra", StandardOpenOption.APPEND);

        // The checkpoint of step 8 (epoch 1 in progress): steps 2-8 and epoch 0's validation stay.
        String side = RunReporter.cutForResume(config(), new Configuration(), 1, 8).orElseThrow();
        assertTrue(side.startsWith("metrics.jsonl.dropped-"), side);
        List<String> dropped = Files.readAllLines(tmp.resolve("run").resolve(side));
        assertEquals(2, dropped.size(), "step 10 and the cut line: " + dropped);
        try (RunReporter r = RunReporter.open(config(), new Configuration(), true)) {
            assertEquals(List.of(2L, 4L, 6L, 6L, 8L), r.history().stream().map(MetricsEvent::step).toList());
            r.log(MetricsEvent.train(11, 1, 10, 5, 1.3, 1e-3, 800, "ex/s", null));
            assertEquals(1, r.history().stream().filter(e -> e.step() == 10).count(), "step 10 once");
        }

        // A checkpoint at the end of epoch 0's last round, before its validation: the validation is replayed.
        RunReporter.cutForResume(config(), new Configuration(), 0, 6).orElseThrow();
        try (RunReporter r = RunReporter.open(config(), new Configuration(), true)) {
            assertEquals(List.of("train", "train", "train"), r.history().stream().map(MetricsEvent::event).toList());
        }
        assertTrue(RunReporter.cutForResume(config(), new Configuration(), 0, 6).isEmpty(), "nothing more to cut");
    }

    @Test
    void eachEventIsOneFlushedJsonLineWithTheDocumentedKeys() throws IOException {
        try (RunReporter r = RunReporter.open(config(), new Configuration(), false)) {
            r.log(MetricsEvent.train(1.5, 0, 10, 2, 2.25, 1e-3, 850, "ex/s", List.of(0.2, 0.3)));
            r.log(MetricsEvent.evaluation(MetricsEvent.VAL, 2.0, 0, 10, 2, java.util.Map.of("val_accuracy", 0.4)));
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
