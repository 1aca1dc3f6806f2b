package io.surnn.driver.report;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunComparisonTest {
    @TempDir
    Path tmp;

    private Path run(String name, String cell, double acc, String jsonlTail) throws IOException {
        Path d = tmp.resolve(name);
        Files.createDirectories(d);
        Files.writeString(d.resolve("metrics.jsonl"),
                "{\"event\":\"train\",\"elapsed_s\":1.0,\"epoch\":0,\"step\":5,\"round\":1,\"loss\":2.3,\"lr\":0.001,"
                        + "\"tokens_or_examples_per_s\":100.0,\"unit\":\"ex/s\"}\n"
                        + "{\"event\":\"val\",\"elapsed_s\":1.5,\"epoch\":0,\"step\":5,\"round\":1,\"val_accuracy\":0.25}\n"
                        + "{\"event\":\"train\",\"elapsed_s\":2.0,\"epoch\":0,\"step\":10,\"round\":2,\"loss\":2.1,\"lr\":0.001,"
                        + "\"tokens_or_examples_per_s\":120.0,\"unit\":\"ex/s\"}\n" + jsonlTail);
        Files.writeString(d.resolve("metrics.json"), "{\"task\":\"listops\",\"metric\":\"accuracy\",\"test_accuracy\":" + acc
                + ",\"throughput\":634.1616860648003,\"throughput_unit\":\"ex/s\",\"wall_time_s\":12.145960293,\"steps\":10,"
                + "\"config\":{\"model\":{\"cell\":\"" + cell + "\",\"hidden\":64},\"train\":{\"seed\":1}}}");
        return d;
    }

    @Test
    void twoRunsSideBySideWithTheirDifferencesAndRoundedFigures() throws IOException {
        Path a = run("sugru", "sugru", 0.41234567, "");
        Path b = run("lstm", "lstm", 0.3, "{\"event\":\"train\",\"ste");   // a line cut short by a crash
        RunComparison c = RunComparison.read(List.of(a.toString(), b.toString()), new Configuration());
        assertEquals(List.of("sugru", "lstm"), c.runs().stream().map(RunComparison.Run::label).toList());
        assertEquals(3, c.runs().get(1).history().size());

        Map<String, List<String>> diff = c.configDifferences();
        assertEquals(Map.of("model.cell", List.of("sugru", "lstm")), diff);
        Map<String, List<String>> rows = c.summaryRows();
        assertEquals(List.of("0.4123", "0.3"), rows.get("test_accuracy"));
        assertEquals(List.of("634.2", "634.2"), rows.get("throughput"));
        assertEquals(List.of("12.1", "12.1"), rows.get("wall_time_s"));
        assertFalse(rows.containsKey("test_perplexity"));

        Path out = tmp.resolve("cmp");
        String page = c.write(out.toString(), new Configuration());
        assertTrue(page.endsWith("compare.html"), page);
        String html = Files.readString(out.resolve("compare.html"));
        assertTrue(html.contains("<th>sugru</th><th>lstm</th>"), html);
        assertTrue(html.contains("model.cell"), html);
        for (String png : List.of("loss.png", "val_accuracy.png", "throughput.png")) {
            byte[] bytes = Files.readAllBytes(out.resolve("charts").resolve(png));
            assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
        }
    }

    @Test
    void badInputIsNamed() throws IOException {
        Path a = run("a", "sugru", 0.4, "");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunComparison.read(List.of(a.toString(), empty.toString()), new Configuration()));
        assertEquals(empty + ": not a run directory (no metrics.jsonl or metrics.json)", e.getMessage());

        Path broken = run("b", "lstm", 0.3, "");
        Files.writeString(broken.resolve("metrics.jsonl"), "not json\n{\"event\":\"train\",\"step\":1}\n");
        e = assertThrows(IllegalArgumentException.class,
                () -> RunComparison.read(List.of(a.toString(), broken.toString()), new Configuration()));
        assertTrue(e.getMessage().endsWith("metrics.jsonl line 1: not a JSON metrics event"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> RunComparison.read(List.of(a.toString()), new Configuration()));
        assertEquals("compare needs at least two run directories, got 1", e.getMessage());
    }

    @Test
    void sameNamedDirectoriesGetDistinctLabels() {
        assertEquals(List.of("x/run", "y/run"), RunComparison.labels(List.of("/r/x/run", "/r/y/run/")));
    }
}
