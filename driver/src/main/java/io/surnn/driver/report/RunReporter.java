package io.surnn.driver.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.conf.Configuration;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The training loop's reporter: appends each {@link MetricsEvent} to output.dir/metrics.jsonl as it
 * happens (flushed per line), keeps the history, and at the end writes metrics.json, the charts and
 * report.html ({@link #finish}).
 *
 * <p>Design: not every Hadoop file system can append, so the file is opened once for the run and
 * written through; on {@code --resume} the earlier lines are read first and written back, so the
 * history (and the report's charts) covers the whole run.
 *
 * <pre>{@code
 * try (RunReporter r = RunReporter.open(config, hadoopConf, resume)) {
 *     r.log(MetricsEvent.train(...));            // each round
 *     r.log(MetricsEvent.validation(...));       // each evaluation
 *     String html = r.finish(finalMetrics);      // metrics.json + report.html
 * }
 * }</pre>
 */
public final class RunReporter implements Closeable {
    public static final String METRICS_JSONL = "metrics.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunConfig config;
    private final RunDirectory dir;
    private final List<MetricsEvent> history = new ArrayList<>();
    private OutputStream out;

    private RunReporter(RunConfig config, RunDirectory dir) {
        this.config = config;
        this.dir = dir;
    }

    /**
     * Opens output.dir/metrics.jsonl of run {@code config}. With {@code resume}, earlier events are kept
     * (and returned by {@link #history()}); without, the file starts empty.
     */
    public static RunReporter open(RunConfig config, Configuration hadoopConf, boolean resume) throws IOException {
        RunReporter r = new RunReporter(config, new RunDirectory(config.output().dir(), hadoopConf));
        byte[] earlier = resume ? r.dir.readIfExists(METRICS_JSONL) : null;
        r.out = r.dir.create(METRICS_JSONL);
        if (earlier != null) {
            for (String line : new String(earlier, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                try {
                    r.append(MetricsEvent.fromJson(JSON.readTree(line)));
                } catch (IOException e) {
                    // A line cut short by a crash: drop it; every complete line is kept.
                }
            }
        }
        return r;
    }

    /** Appends one event to metrics.jsonl (flushed) and to the history. */
    public synchronized void log(MetricsEvent event) throws IOException {
        append(event);
    }

    private void append(MetricsEvent event) throws IOException {
        out.write((JSON.writeValueAsString(event.toJson()) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        history.add(event);
    }

    /** Every event of the run so far, oldest first. */
    public synchronized List<MetricsEvent> history() {
        return Collections.unmodifiableList(new ArrayList<>(history));
    }

    /** The run directory (for the paths of metrics.jsonl, metrics.json, report.html). */
    public RunDirectory directory() {
        return dir;
    }

    /**
     * Closes metrics.jsonl and writes metrics.json, charts/*.png and report.html.
     *
     * @return the path of report.html, for the user
     */
    public synchronized String finish(FinalMetrics metrics) throws IOException {
        return finish(metrics, null, Map.of());
    }

    /**
     * As {@link #finish(FinalMetrics)}, with the chance level on the accuracy chart and the su-layers'
     * gate pictures (layer name → pattern; empty for networks without su-layers).
     */
    public synchronized String finish(FinalMetrics metrics, Double chanceAccuracy,
                                      Map<String, io.surnn.ops.models.GatePatterns.Pattern> gates) throws IOException {
        close();
        return ReportWriter.write(dir, config, metrics, history, chanceAccuracy, gates);
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
