package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round profile in metrics.jsonl, metrics.json (shares) and report.html (stacked chart). */
class RoundProfileReportTest {
    @TempDir
    Path tmp;

    private static MetricsEvent profiled(long step, double data, double fit, double agg) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("round_data_ms", data);
        p.put("round_fit_ms", fit);
        p.put("round_aggregate_ms", agg);
        p.put("round_broadcast_ms", 10.0);
        p.put("round_schedule_ms", 5.0);
        p.put("round_driver_bytes", 123456789.0);
        return MetricsEvent.train(step, 0, step, step, 2.0, 1e-3, 100, "ex/s", List.of(0.2)).withProfile(p);
    }

    @Test
    void profileEntriesSurviveTheJsonLineAndDrawAStackedChart() throws IOException {
        MetricsEvent e = profiled(5, 20, 900, 65);
        MetricsEvent back = MetricsEvent.fromJson(e.toJson());
        assertEquals(900.0, back.metrics().get("round_fit_ms"));
        assertEquals(123456789.0, back.metrics().get("round_driver_bytes"), "byte counts are not rounded");

        List<MetricsEvent> h = new ArrayList<>();
        for (int s = 5; s <= 40; s += 5) h.add(profiled(s, 20, 900 + s, 65));
        RunConfig c = ConfigLoader.parse("surnn { task = t, data.path = /d }", "t", List.of("output.dir=" + tmp.resolve("run")));
        Map<String, Double> shares = new LinkedHashMap<>();
        shares.put("share_data", 0.02);
        shares.put("share_fit", 0.9);
        shares.put("share_aggregate", 0.06543);
        shares.put("share_broadcast", 0.01);
        shares.put("share_schedule", 0.00457);
        FinalMetrics m = new FinalMetrics("accuracy", 0.5, 0.5, 1.0, 1.0, 10, 100, "ex/s", 1, 40, 1, List.of(0.2),
                "allreduce", shares);
        ReportWriter.write(new RunDirectory(c.output().dir(), new Configuration()), c, m, h);
        JsonNode j = new ObjectMapper().readTree(tmp.resolve("run/metrics.json").toFile());
        assertEquals("allreduce", j.get("engine").asText());
        assertEquals(0.0654, j.at("/round_profile/share_aggregate").asDouble());
        assertNotNull(ImageIO.read(tmp.resolve("run/charts/round_profile.png").toFile()));
        assertTrue(Files.readString(tmp.resolve("run/report.html")).contains("charts/round_profile.png"));
    }

    @Test
    void noProfileNoChart() throws IOException {
        assertFalse(Charts.render(ReportWriterTest.syntheticHistory(true)).containsKey("round_profile.png"));
    }
}
