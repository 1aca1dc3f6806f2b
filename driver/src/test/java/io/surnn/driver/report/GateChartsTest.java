package io.surnn.driver.report;

import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import io.surnn.ops.models.GatePatterns;
import io.surnn.ops.models.Readout;
import io.surnn.ops.models.SequenceClassifierBuilder;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's gate pictures, rate histograms, learning-rate chart and chance line. */
class GateChartsTest {
    @TempDir
    Path tmp;

    @Test
    void everySuLayerGetsAGatePictureAndARateHistogram() throws IOException {
        MultiLayerNetwork net = new SequenceClassifierBuilder().inputSize(2).hiddenSize(12).layers(2).numClasses(4)
                .readout(Readout.LAST).initialUpdateRate(0.25).seed(3).buildNetwork();
        Map<String, GatePatterns.Pattern> gates = GatePatterns.of(net, 60);
        RunConfig c = ConfigLoader.parse("surnn { task = t, data.path = /d }", "t", List.of("output.dir=" + tmp.resolve("run")));
        FinalMetrics m = new FinalMetrics("accuracy", 0.5, 0.5, 1, 1, "ex/s", 1, 1, 1, List.of(0.25, 0.25));
        ReportWriter.write(new RunDirectory(c.output().dir(), new Configuration()), c, m,
                ReportWriterTest.syntheticHistory(true), 0.25, gates);
        String html = Files.readString(tmp.resolve("run/report.html"));
        for (String png : List.of("learning_rate.png", "gate_rnn0.png", "gate_rates_rnn0.png", "gate_rnn1.png",
                "gate_rates_rnn1.png")) {
            Path f = tmp.resolve("run/charts/" + png);
            BufferedImage img = ImageIO.read(f.toFile());
            assertNotNull(img, png);
            assertEquals(Charts.WIDTH, img.getWidth());
            assertTrue(html.contains("href=\"charts/" + png + "\""), png + " linked");
        }
        // The gate picture holds black (open) and white (closed) cells: it is a picture of the gate, not a blank.
        BufferedImage gate = ImageIO.read(tmp.resolve("run/charts/gate_rnn0.png").toFile());
        int black = 0;
        int white = 0;
        for (int x = 0; x < gate.getWidth(); x++) {
            for (int y = 0; y < gate.getHeight(); y++) {
                int rgb = gate.getRGB(x, y) & 0xFFFFFF;
                if (rgb == 0) black++;
                if (rgb == 0xFFFFFF) white++;
            }
        }
        assertTrue(black > 1000 && white > 1000, "black " + black + ", white " + white);
    }

    @Test
    void chanceLevelIsDrawnOnTheAccuracyChart() throws IOException {
        byte[] with = Charts.render(ReportWriterTest.syntheticHistory(true), 0.1, Map.of()).get("validation.png");
        byte[] without = Charts.render(ReportWriterTest.syntheticHistory(true), null, Map.of()).get("validation.png");
        assertTrue(with.length > 0 && !java.util.Arrays.equals(with, without));
    }
}
