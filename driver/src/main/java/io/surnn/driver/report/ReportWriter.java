package io.surnn.driver.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surnn.driver.config.RunConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes the end-of-run files into the run directory: metrics.json, charts/*.png and report.html
 * (self-contained: the charts are embedded as base64 data URIs and also linked to the PNG files).
 */
public final class ReportWriter {
    public static final String METRICS_JSON = "metrics.json";
    public static final String REPORT_HTML = "report.html";
    public static final String CHARTS_DIR = "charts";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportWriter() {}

    /**
     * Writes metrics.json, the charts and report.html for run {@code config} into {@code dir}.
     *
     * @return the report's location (a local path when the run directory is local)
     */
    public static String write(RunDirectory dir, RunConfig config, FinalMetrics metrics,
                               List<MetricsEvent> history) throws IOException {
        return write(dir, config, metrics, history, null, Map.of());
    }

    /**
     * As {@link #write(RunDirectory, RunConfig, FinalMetrics, List)}, with the chance level drawn on the
     * accuracy chart and, per su-layer, its gate picture and rate histogram.
     */
    public static String write(RunDirectory dir, RunConfig config, FinalMetrics metrics, List<MetricsEvent> history,
                               Double chanceAccuracy, Map<String, io.surnn.ops.models.GatePatterns.Pattern> gates)
            throws IOException {
        ObjectNode summary = metricsJson(config, metrics);
        dir.write(METRICS_JSON, JSON.writeValueAsBytes(summary));
        Map<String, byte[]> charts = Charts.render(history, chanceAccuracy, gates);
        for (Map.Entry<String, byte[]> c : charts.entrySet()) {
            dir.write(CHARTS_DIR + "/" + c.getKey(), c.getValue());
        }
        dir.write(REPORT_HTML, html(config, summary, charts).getBytes(StandardCharsets.UTF_8));
        return dir.display(REPORT_HTML);
    }

    /** The metrics.json object: final metrics under test_/val_ keys, timings, size, and the config. */
    static ObjectNode metricsJson(RunConfig config, FinalMetrics m) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("task", config.task());
        o.put("metric", m.metric());
        if (m.test() != null) o.put("test_" + m.metric(), Rounding.round(m.metric(), m.test()));
        if (m.val() != null) o.put("val_" + m.metric(), Rounding.round(m.metric(), m.val()));
        if (m.testLoss() != null) o.put("test_loss", Rounding.round("loss", m.testLoss()));
        if (m.valLoss() != null) o.put("val_loss", Rounding.round("loss", m.valLoss()));
        o.put("wall_time_s", Rounding.round("wall_time_s", m.wallTimeS()));
        o.put("throughput", Rounding.round("throughput", m.throughput()));
        o.put("throughput_unit", m.unit());
        o.put("parameter_count", m.parameterCount());
        if (m.engine() != null) o.put("engine", m.engine());
        if (!m.roundShares().isEmpty()) {
            ObjectNode shares = o.putObject("round_profile");
            m.roundShares().forEach((k, v) -> shares.put(k, Rounding.round(k, v)));
        }
        o.put("steps", m.steps());
        o.put("epochs", m.epochs());
        if (m.stoppedBy() != null) o.put("stopped_by", m.stoppedBy());
        com.fasterxml.jackson.databind.node.ArrayNode rates = o.putArray("final_update_rates");
        m.finalUpdateRates().forEach(r -> rates.add(Rounding.round("update_rate", r)));
        o.put("created_at", Instant.now().toString());
        o.set("config", JSON.readTree(config.renderJson()));
        return o;
    }

    private static String html(RunConfig config, ObjectNode summary, Map<String, byte[]> charts) throws IOException {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>suRNN run: ")
                .append(esc(config.task())).append("</title>\n").append(STYLE).append("</head><body>\n");
        h.append("<h1>suRNN run: ").append(esc(config.task())).append("</h1>\n<h2>Final metrics</h2>\n<table>\n");
        summary.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("config")) {
                h.append("<tr><th>").append(esc(e.getKey())).append("</th><td>")
                        .append(esc(e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()))
                        .append("</td></tr>\n");
            }
        });
        h.append("</table>\n<h2>Charts</h2>\n");
        for (Map.Entry<String, byte[]> c : charts.entrySet()) {
            figure(h, CHARTS_DIR + "/" + c.getKey(), c.getValue());
        }
        h.append("<h2>Configuration</h2>\n<pre>").append(esc(config.render())).append("</pre>\n</body></html>\n");
        return h.toString();
    }

    /** The pages' shared style sheet. */
    static final String STYLE = "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}"
            + "pre{background:#f6f6f6;padding:1em;overflow:auto}img{max-width:100%}</style>\n";

    /** One chart: embedded as a data URI (the page stands alone) and linked to its PNG file. */
    static void figure(StringBuilder h, String file, byte[] png) {
        h.append("<figure><img alt=\"").append(esc(file.substring(file.lastIndexOf('/') + 1))).append("\" width=\"").append(Charts.WIDTH)
                .append("\" height=\"").append(Charts.HEIGHT).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">\n<figcaption><a href=\"")
                .append(esc(file)).append("\">").append(esc(file)).append("</a></figcaption></figure>\n");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
