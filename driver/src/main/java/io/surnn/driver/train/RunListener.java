package io.surnn.driver.train;

import io.surnn.driver.checkpoint.CheckpointStore;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.eval.EvalResult;
import io.surnn.driver.report.FinalMetrics;
import io.surnn.driver.report.MetricsEvent;
import io.surnn.driver.report.ProgressLine;
import io.surnn.driver.engine.RoundProfile;
import io.surnn.driver.report.RunReporter;
import io.surnn.ops.models.GatePatterns;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Model;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Connects the {@link TrainingLoop} to the run's outputs: each round becomes a metrics.jsonl event
 * and a console progress line, each epoch's validation an event, each checkpoint request a save in
 * the {@link CheckpointStore}; at the end, metrics.json and report.html.
 */
final class RunListener implements TrainingLoop.Listener, AutoCloseable {
    private final RunConfig cfg;
    private final RunReporter reporter;
    private final CheckpointStore store;
    private final String manifestSha;
    private final PrintStream out;
    private final boolean perToken;
    private final Double chanceAccuracy;
    /** Steps the report's gate pictures cover: the dataset's sequence length, at most {@link #MAX_GATE_STEPS}. */
    private final int gateSteps;
    static final int MAX_GATE_STEPS = 400;
    private final long t0 = System.nanoTime();
    private double unitsSeen;
    private double trainSeconds;
    private List<Double> lastRates = List.of();
    private EvalResult lastValid;
    /** Milliseconds per round-profile phase, summed over the rounds this attempt ran. */
    private final Map<String, Double> phaseTotals = new java.util.LinkedHashMap<>();

    RunListener(RunConfig cfg, Configuration hadoop, boolean resume, CheckpointStore store, String manifestSha,
                PrintStream out, long firstStep, boolean perToken, Double chanceAccuracy, int gateSteps) throws IOException {
        this.cfg = cfg;
        this.reporter = RunReporter.open(cfg, hadoop, resume);
        this.store = store;
        this.manifestSha = manifestSha;
        this.out = out;
        this.perToken = perToken;
        this.chanceAccuracy = chanceAccuracy;
        this.gateSteps = Math.max(1, gateSteps);
    }

    private double elapsed() {
        return (System.nanoTime() - t0) / 1e9;
    }

    private String unit() {
        return perToken ? "tok/s" : "ex/s";
    }

    @Override
    public void onRound(RoundReport r) {
        double units = perToken ? r.tokens() : r.examples();
        double seconds = Math.max(1e-3, r.millis() / 1000.0);
        unitsSeen += units;
        trainSeconds += seconds;
        lastRates = new ArrayList<>();
        for (double v : r.updateRates()) {
            lastRates.add(v);
        }
        MetricsEvent e = MetricsEvent.train(elapsed(), r.epoch(), r.step(), r.round() + 1, r.loss(), r.learningRate(),
                units / seconds, unit(), lastRates);
        RoundProfile p = r.profile();
        if (p.profiled()) {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            p.phases().forEach((phase, ms) -> {
                m.put(MetricsEvent.ROUND_PREFIX + phase + "_ms", (double) ms);
                phaseTotals.merge(phase, (double) ms, Double::sum);
            });
            if (p.driverBytesReceived() >= 0) {
                m.put(MetricsEvent.ROUND_PREFIX + "driver_bytes", (double) p.driverBytesReceived());
            }
            e = e.withProfile(m);
        }
        log(e);
        out.println(ProgressLine.format(r.epoch(), cfg.train().epochs(), r.step(), r.totalSteps(), r.loss(),
                r.learningRate(), units / seconds, unit(), lastRates, Math.round(r.etaSeconds())));
    }

    @Override
    public void onEpoch(int epoch, EvalResult valid, TrainState state) {
        if (valid == null) {
            return;
        }
        lastValid = valid;
        log(MetricsEvent.evaluation(MetricsEvent.VAL, elapsed(), epoch, state.step(), state.rounds(),
                Map.of("val_" + valid.metricName(), valid.metric(), "val_loss", valid.loss())));
        out.println("epoch " + (epoch + 1) + " " + valid.summary()
                + (state.stopped() ? " — early stopping (" + state.badEvals() + " evaluations without improvement)" : ""));
    }

    @Override
    public void checkpoint(Model net, TrainState state, String why) {
        try {
            store.save(net, TrainingRun.toCheckpoint(cfg, manifestSha, state), cfg.render());
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint at step " + state.step() + " failed: " + e.getMessage(), e);
        }
    }

    EvalResult lastValid() {
        return lastValid;
    }

    void logTest(TrainState end, EvalResult test) {
        log(MetricsEvent.evaluation("test", elapsed(), end.epoch(), end.step(), end.rounds(),
                Map.of("test_" + test.metricName(), test.metric(), "test_loss", test.loss())));
    }

    String finish(Model net, TrainState end, EvalResult valid, EvalResult test, String stoppedBy) throws IOException {
        String metric = perToken ? "perplexity" : "accuracy";
        FinalMetrics fm = new FinalMetrics(metric, test == null ? null : test.metric(), valid == null ? null : valid.metric(),
                test == null ? null : test.loss(), valid == null ? null : valid.loss(),
                elapsed(), trainSeconds > 0 ? unitsSeen / trainSeconds : 0, unit(), net.numParams(), end.step(),
                cfg.train().epochs(), lastRates, cfg.train().engine().name().toLowerCase(java.util.Locale.ROOT),
                shares(), stoppedBy);
        return reporter.finish(fm, chanceAccuracy, GatePatterns.of(net, gateSteps));
    }

    /** Each phase's share of the profiled rounds' total time ("share_data", …), or empty. */
    private Map<String, Double> shares() {
        double total = phaseTotals.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        if (total > 0) {
            phaseTotals.forEach((phase, ms) -> out.put("share_" + phase, ms / total));
        }
        return out;
    }

    private void log(MetricsEvent e) {
        try {
            reporter.log(e);
        } catch (IOException ex) {
            throw new UncheckedIOException("metrics.jsonl: " + ex.getMessage(), ex);
        }
    }

    @Override
    public void close() throws IOException {
        reporter.close();
    }
}
