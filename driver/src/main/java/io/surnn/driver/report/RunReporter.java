package io.surnn.driver.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The training loop's reporter: appends each {@link MetricsEvent} to output.dir/metrics.jsonl as it
 * happens (flushed per line), keeps the history, and at the end writes metrics.json, the charts and
 * report.html ({@link #finish}).
 *
 * <p>Design: not every Hadoop file system can append, so the file is opened once for the run and
 * written through; on {@code --resume} the earlier lines are read first and written back, so the
 * history (and the report's charts) covers the whole run. Before that, {@link #cutForResume} takes
 * out what the earlier attempt logged after the checkpoint the run resumes from (the resumed run
 * logs those rounds again), so every step appears once. The file is only ever opened by the holder
 * of the run directory's {@link RunLock}.
 *
 * <pre>{@code
 * try (RunReporter r = RunReporter.open(config, hadoopConf, resume)) {
 *     r.log(MetricsEvent.train(...));            // each round
 *     r.log(MetricsEvent.evaluation(VAL, ...));  // each evaluation
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
        RunLock.requireHeld(config.output().dir(), hadoopConf, METRICS_JSONL + " opened");
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

    /**
     * Makes output.dir/metrics.jsonl end where a resumed run starts: keeps the train events up to
     * step {@code step}, the validation events of the epochs before {@code epoch} (the epochs the
     * checkpoint has completed), and other events (test) before {@code step}; every other line, cut
     * short ones included, goes to {@code metrics.jsonl.dropped-<yyyyMMdd-HHmmss>} beside it.
     * A resume without a checkpoint passes epoch 0, step 0 and keeps nothing.
     *
     * @return the side file's name, or empty when nothing had to be dropped
     */
    public static Optional<String> cutForResume(RunConfig config, Configuration hadoopConf, int epoch, long step)
            throws IOException {
        RunLock.requireHeld(config.output().dir(), hadoopConf, METRICS_JSONL + " cut for --resume");
        RunDirectory dir = new RunDirectory(config.output().dir(), hadoopConf);
        byte[] bytes = dir.readIfExists(METRICS_JSONL);
        if (bytes == null) {
            return Optional.empty();
        }
        StringBuilder keep = new StringBuilder();
        StringBuilder drop = new StringBuilder();
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) continue;
            (keeps(line, epoch, step) ? keep : drop).append(line).append('\n');
        }
        if (drop.length() == 0) {
            return Optional.empty();
        }
        String base = METRICS_JSONL + ".dropped-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        String side = base;
        for (int i = 2; dir.fileSystem().exists(dir.resolve(side)); i++) {
            side = base + "-" + i;
        }
        dir.write(side, drop.toString().getBytes(StandardCharsets.UTF_8));
        // Written beside and renamed over, so a crash never leaves a half-written history.
        String tmp = METRICS_JSONL + ".tmp-" + UUID.randomUUID();
        dir.write(tmp, keep.toString().getBytes(StandardCharsets.UTF_8));
        FileSystem fs = dir.fileSystem();
        fs.delete(dir.resolve(METRICS_JSONL), false);
        if (!fs.rename(dir.resolve(tmp), dir.resolve(METRICS_JSONL))) {
            throw new IOException("could not rename " + dir.resolve(tmp) + " to " + dir.resolve(METRICS_JSONL));
        }
        return Optional.of(side);
    }

    private static boolean keeps(String line, int epoch, long step) {
        MetricsEvent e;
        try {
            e = MetricsEvent.fromJson(JSON.readTree(line));
        } catch (IOException | RuntimeException ex) {
            return false;                                   // a line cut short by a crash
        }
        switch (e.event()) {
            case MetricsEvent.TRAIN:
                return e.step() <= step;
            case MetricsEvent.VAL:
                return e.epoch() < epoch;
            default:
                return e.step() < step;
        }
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
