package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportWriterTest {
    private static final List<String> CHARTS = List.of("loss.png", "validation.png", "update_rate.png", "throughput.png");

    @TempDir
    Path tmp;

    static List<MetricsEvent> syntheticHistory(boolean withValidation) {
        List<MetricsEvent> h = new ArrayList<>();
        for (int step = 10; step <= 200; step += 10) {
            h.add(MetricsEvent.train(step * 0.5, step / 100, step, step / 5, 2.3 * Math.exp(-step / 80.0),
                    1e-3, 900 + step, "ex/s", List.of(0.2 + step / 1000.0, 0.3 - step / 2000.0)));
            if (withValidation && step % 50 == 0) {
                h.add(MetricsEvent.evaluation(MetricsEvent.VAL, step * 0.5, step / 100, step, step / 5, java.util.Map.of("val_accuracy", step / 250.0)));
            }
        }
        return h;
    }

    private RunConfig config() {
        return ConfigLoader.parse("surnn { task = \"list<ops>\", data.path = /d }", "t",
                List.of("output.dir=" + tmp.resolve("run")));
    }

    private static FinalMetrics metrics() {
        return new FinalMetrics("accuracy", 0.61, 0.64, 123.4, 1010.0, "ex/s", 45_678, 200, 2, List.of(0.4, 0.2));
    }

    @Test
    void writesMetricsJsonWithTheFinalKeysAndTheConfig() throws IOException {
        RunConfig c = config();
        ReportWriter.write(new RunDirectory(c.output().dir(), new Configuration()), c, metrics(), syntheticHistory(true));
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("run/metrics.json").toFile());
        assertEquals(0.61, m.get("test_accuracy").asDouble());
        assertEquals(0.64, m.get("val_accuracy").asDouble());
        assertEquals(123.4, m.get("wall_time_s").asDouble());
        assertEquals(1010.0, m.get("throughput").asDouble());
        assertEquals(45_678, m.get("parameter_count").asLong());
        assertEquals(2, m.get("final_update_rates").size());
        assertEquals(128, m.at("/config/model/hidden").asInt());
        assertFalse(m.has("test_perplexity"));
        assertFalse(m.has("stopped_by"), "not known: left out");
    }

    @Test
    void whatStoppedTrainingIsRecorded() throws IOException {
        RunConfig c = config();
        FinalMetrics f = new FinalMetrics("accuracy", 0.5, null, null, null, 30, 10, "ex/s", 1, 12, 5, List.of(),
                "paramavg", java.util.Map.of(), "max-seconds");
        ReportWriter.write(new RunDirectory(c.output().dir(), new Configuration()), c, f, List.of());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("run/metrics.json").toFile());
        assertEquals("max-seconds", m.get("stopped_by").asText());
    }

    @Test
    void perplexityRunsUseThePerplexityKeys() throws IOException {
        RunConfig c = config();
        FinalMetrics lm = new FinalMetrics("perplexity", 180.5, null, 1, 1, "tok/s", 1, 1, 1, List.of());
        ReportWriter.write(new RunDirectory(c.output().dir(), new Configuration()), c, lm, List.of());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("run/metrics.json").toFile());
        assertEquals(180.5, m.get("test_perplexity").asDouble());
        assertFalse(m.has("val_perplexity"), "an absent value is left out");
    }

    @Test
    void chartsArePngsOfTheRightSizeAndTheHtmlEmbedsAndLinksThem() throws IOException {
        RunConfig c = config();
        String report = ReportWriter.write(new RunDirectory(c.output().dir(), new Configuration()), c, metrics(),
                syntheticHistory(true));
        assertEquals(tmp.resolve("run/report.html").toString(), report);
        String html = Files.readString(tmp.resolve("run/report.html"));
        for (String chart : CHARTS) {
            byte[] png = Files.readAllBytes(tmp.resolve("run/charts/" + chart));
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertNotNull(img, chart + " does not decode as an image");
            assertEquals(800, img.getWidth(), chart);
            assertEquals(400, img.getHeight(), chart);
            assertTrue(html.contains("href=\"charts/" + chart + "\""), chart + " not linked");
            Matcher m = Pattern.compile("alt=\"" + Pattern.quote(chart) + "\"[^>]*src=\"data:image/png;base64,([^\"]+)\"")
                    .matcher(html);
            assertTrue(m.find(), chart + " not embedded");
            assertArrayEquals(png, Base64.getDecoder().decode(m.group(1)), chart + ": embedded copy differs");
        }
        assertTrue(html.contains("list&lt;ops&gt;"), "task name is HTML-escaped");
        assertTrue(html.contains("test_accuracy") && html.contains("0.61"));
        assertTrue(Pattern.compile("hidden\\s*[:=]\\s*128").matcher(html).find(), "the resolved config is shown");
    }

    @Test
    void aChartWithDataDrawsItsSeriesAndOneWithoutDoesNot() throws IOException {
        var withVal = Charts.render(syntheticHistory(true));
        var withoutVal = Charts.render(syntheticHistory(false));
        assertTrue(reddish(withVal.get("validation.png")) > 200, "validation line drawn");
        assertEquals(0, reddish(withoutVal.get("validation.png")), "no validation events: no line");
        assertTrue(reddish(withVal.get("loss.png")) > 200, "loss line drawn");
    }

    /** Pixels of JFreeChart's first-series colour (red), i.e. how much of a line was drawn. */
    private static int reddish(byte[] png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (r > 200 && g < 140 && b < 140) n++;
            }
        }
        return n;
    }
}
