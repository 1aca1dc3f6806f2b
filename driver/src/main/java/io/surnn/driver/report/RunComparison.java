package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.jfree.data.xy.XYSeries;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Several finished (or running) runs side by side: their curves overlaid on one chart each (training
 * loss, every validation metric, throughput), and one table with each run's final metrics,
 * throughput and the configuration keys whose values differ between the runs. Written as
 * {@code compare.html} (self-contained, charts embedded) plus the charts as PNG files.
 *
 * <p>Inputs are what every run directory holds: {@code metrics.jsonl} (the curves; a run still in
 * progress compares with what it has so far) and {@code metrics.json} (final metrics and the
 * resolved configuration; absent for an unfinished run, whose table cells stay empty).
 */
public final class RunComparison {
    public static final String HTML = "compare.html";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Final-metric keys shown in the table, in this order, where any run has them. */
    private static final List<String> SUMMARY_KEYS = List.of("test_accuracy", "val_accuracy", "test_perplexity",
            "val_perplexity", "test_loss", "val_loss", "steps", "epochs", "parameter_count", "throughput",
            "throughput_unit", "wall_time_s");

    /** One run as read from its directory. */
    record Run(String label, String dir, List<MetricsEvent> history, JsonNode summary) {}

    private final List<Run> runs;

    private RunComparison(List<Run> runs) {
        this.runs = runs;
    }

    /**
     * Reads each run directory (any Hadoop file system URI). A directory with neither metrics.jsonl nor
     * metrics.json is an error naming it.
     */
    public static RunComparison read(List<String> dirs, Configuration hadoop) throws IOException {
        if (dirs.size() < 2) {
            throw new IllegalArgumentException("compare needs at least two run directories, got " + dirs.size());
        }
        List<Run> runs = new ArrayList<>();
        List<String> labels = labels(dirs);
        for (int i = 0; i < dirs.size(); i++) {
            RunDirectory d = new RunDirectory(dirs.get(i), hadoop);
            byte[] jsonl = d.readIfExists(RunReporter.METRICS_JSONL);
            byte[] summary = d.readIfExists(ReportWriter.METRICS_JSON);
            if (jsonl == null && summary == null) {
                throw new IllegalArgumentException(dirs.get(i) + ": not a run directory (no "
                        + RunReporter.METRICS_JSONL + " or " + ReportWriter.METRICS_JSON + ")");
            }
            List<MetricsEvent> history = new ArrayList<>();
            if (jsonl != null) {
                int lineNo = 0;
                for (String line : new String(jsonl, StandardCharsets.UTF_8).split("\n")) {
                    lineNo++;
                    if (line.isBlank()) continue;
                    try {
                        history.add(MetricsEvent.fromJson(JSON.readTree(line)));
                    } catch (IOException e) {
                        // Only a last line cut short by a crash is tolerated; anything else is named.
                        if (!line.equals(lastLine(jsonl))) {
                            throw new IllegalArgumentException(d.display(RunReporter.METRICS_JSONL) + " line " + lineNo
                                    + ": not a JSON metrics event");
                        }
                    }
                }
            }
            JsonNode s;
            try {
                s = summary == null ? null : JSON.readTree(summary);
            } catch (IOException e) {
                throw new IllegalArgumentException(d.display(ReportWriter.METRICS_JSON) + ": not valid JSON ("
                        + e.getMessage().lines().findFirst().orElse("") + ")");
            }
            runs.add(new Run(labels.get(i), dirs.get(i), history, s));
        }
        return new RunComparison(runs);
    }

    private static String lastLine(byte[] jsonl) {
        String[] lines = new String(jsonl, StandardCharsets.UTF_8).strip().split("\n");
        return lines[lines.length - 1];
    }

    /**
     * Short labels: the directories' last path components, or as many trailing components as make
     * every label distinct (runs/a/run and runs/b/run become a/run and b/run); a numbered suffix where
     * even whole paths repeat.
     */
    static List<String> labels(List<String> dirs) {
        List<String[]> parts = dirs.stream().map(d -> d.replaceAll("/+$", "").split("/")).toList();
        int longest = parts.stream().mapToInt(p -> p.length).max().orElse(1);
        List<String> out = List.of();
        for (int depth = 1; depth <= longest; depth++) {
            int k = depth;
            out = parts.stream().map(p -> String.join("/",
                    java.util.Arrays.copyOfRange(p, Math.max(0, p.length - k), p.length))).toList();
            if (new java.util.HashSet<>(out).size() == out.size()) {
                return out;
            }
        }
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) {
            numbered.add(out.get(i) + " (" + (i + 1) + ")");
        }
        return numbered;
    }

    /** Chart file name → PNG bytes: loss, one chart per validation metric, throughput. */
    Map<String, byte[]> charts() throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put("loss.png", Charts.overlay("Training loss", "loss", overlay(e -> e.loss())));
        TreeSet<String> valNames = new TreeSet<>();
        runs.forEach(r -> r.history().forEach(e -> e.metrics().keySet().stream()
                .filter(k -> k.startsWith("val_")).forEach(valNames::add)));
        for (String name : valNames) {
            out.put(name + ".png", Charts.overlay("Validation " + name.substring(4), name, overlay(e -> e.metrics().get(name))));
        }
        String unit = runs.stream().flatMap(r -> r.history().stream()).map(MetricsEvent::unit)
                .filter(Objects::nonNull).findFirst().orElse("items/s");
        out.put("throughput.png", Charts.overlay("Training throughput", unit, overlay(MetricsEvent::throughput)));
        return out;
    }

    private Map<String, XYSeries> overlay(Function<MetricsEvent, Double> value) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (Run r : runs) {
            XYSeries s = new XYSeries(r.label());
            for (MetricsEvent e : r.history()) {
                Double v = value.apply(e);
                if (v != null && Double.isFinite(v)) s.addOrUpdate((double) e.step(), v.doubleValue());
            }
            series.put(r.label(), s);
        }
        return series;
    }

    /** Rows of the summary table: key → one cell per run ("" where a run lacks it). */
    Map<String, List<String>> summaryRows() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        rows.put("directory", runs.stream().map(Run::dir).toList());
        for (String key : SUMMARY_KEYS) {
            List<String> cells = new ArrayList<>();
            boolean any = false;
            for (Run r : runs) {
                JsonNode v = r.summary() == null ? null : r.summary().get(key);
                any |= v != null && !v.isNull();
                cells.add(v == null || v.isNull() ? "" : Rounding.format(key, v));
            }
            if (any) rows.put(key, cells);
        }
        return rows;
    }

    /** Configuration keys (dotted paths) whose values differ between the runs → one value per run. */
    Map<String, List<String>> configDifferences() {
        List<Map<String, String>> flat = new ArrayList<>();
        for (Run r : runs) {
            Map<String, String> f = new TreeMap<>();
            if (r.summary() != null && r.summary().has("config")) {
                flatten("", r.summary().get("config"), f);
            }
            flat.add(f);
        }
        TreeSet<String> keys = new TreeSet<>();
        flat.forEach(f -> keys.addAll(f.keySet()));
        Map<String, List<String>> diff = new LinkedHashMap<>();
        for (String k : keys) {
            List<String> values = flat.stream().map(f -> f.getOrDefault(k, "")).toList();
            if (values.stream().distinct().count() > 1) diff.put(k, values);
        }
        return diff;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, n.isTextual() ? n.asText() : n.toString());
        }
    }

    /**
     * Writes compare.html and charts/*.png into {@code outDir}.
     *
     * @return the page's location
     */
    public String write(String outDir, Configuration hadoop) throws IOException {
        RunDirectory out = new RunDirectory(outDir, hadoop);
        Map<String, byte[]> charts = charts();
        for (Map.Entry<String, byte[]> c : charts.entrySet()) {
            out.write(ReportWriter.CHARTS_DIR + "/" + c.getKey(), c.getValue());
        }
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>suRNN runs compared</title>\n")
                .append(ReportWriter.STYLE).append("</head><body>\n<h1>suRNN runs compared</h1>\n");
        h.append("<h2>Final metrics</h2>\n");
        table(h, summaryRows());
        h.append("<h2>Configuration differences</h2>\n");
        Map<String, List<String>> diff = configDifferences();
        if (diff.isEmpty()) {
            h.append("<p>The runs' configurations are identical (or not recorded).</p>\n");
        } else {
            table(h, diff);
        }
        h.append("<h2>Curves</h2>\n");
        for (Map.Entry<String, byte[]> c : charts.entrySet()) {
            ReportWriter.figure(h, ReportWriter.CHARTS_DIR + "/" + c.getKey(), c.getValue());
        }
        h.append("</body></html>\n");
        out.write(HTML, h.toString().getBytes(StandardCharsets.UTF_8));
        return out.display(HTML);
    }

    private void table(StringBuilder h, Map<String, List<String>> rows) {
        h.append("<table>\n<tr><th></th>");
        runs.forEach(r -> h.append("<th>").append(ReportWriter.esc(r.label())).append("</th>"));
        h.append("</tr>\n");
        rows.forEach((k, cells) -> {
            h.append("<tr><th>").append(ReportWriter.esc(k)).append("</th>");
            cells.forEach(c -> h.append("<td>").append(ReportWriter.esc(c)).append("</td>"));
            h.append("</tr>\n");
        });
        h.append("</table>\n");
    }

    List<Run> runs() {
        return runs;
    }
}
