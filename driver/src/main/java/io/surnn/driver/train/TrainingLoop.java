package io.surnn.driver.train;

import io.surnn.driver.checkpoint.NetworkState;
import io.surnn.driver.data.BatchedSplit;
import io.surnn.driver.engine.TrainingEngine;
import io.surnn.driver.eval.EvalResult;
import org.apache.spark.api.java.JavaRDD;
import io.surnn.ops.models.Networks;
import io.surnn.ops.models.UpdateRates;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.function.LongToDoubleFunction;

/**
 * The training loop, one screen: for each epoch, for each averaging round, set the learning rate,
 * fit the round, check the loss, report, checkpoint every N rounds; at the epoch end validate, apply
 * early stopping, checkpoint.
 *
 * <p>Resume: everything a round depends on is a function of the {@link TrainState} (epoch, round,
 * step) and the checkpointed network (parameters, updater state, iteration counter): the data order
 * of epoch e depends only on (seed, e), the learning rate only on the step. So a run resumed from
 * the checkpoint after round k replays rounds k+1… exactly as the uninterrupted run did, and ends
 * at the same step count.
 *
 * <p>Budgets: epochs, {@code max-steps} (both fixed in the {@link Schedule}), early stopping, and a
 * wall-clock budget ({@code max-seconds}) checked after every round and every epoch end;
 * {@link #stoppedBy()} says which one ended the run.
 *
 * <p>Divergence: after every round, and again right before every checkpoint, the loop checks the
 * data loss it reports and the network's state ({@link NetworkState#nonFinite}: every parameter array,
 * the updater state, the regularisation term). Anything non-finite throws {@link
 * TrainingDivergedException} naming the step, the value and the newest checkpoint this loop wrote (or
 * resumed from), which therefore always holds a finite state.
 */
public final class TrainingLoop {

    /** Callbacks: reporting and checkpoint writing (the CLI wires them to the metrics log and checkpoint store). */
    public interface Listener {
        default void onRound(RoundReport report) {}

        default void onEpoch(int epoch, EvalResult valid, TrainState state) {}

        /** Persist {@code net} (parameters + updater state) with {@code state}; {@code why} is "round" or "epoch". */
        default void checkpoint(Model net, TrainState state, String why) {}
    }

    private final TrainingEngine engine;
    private final Schedule schedule;
    private final LongToDoubleFunction lrAtStep;          // step → learning rate
    private final IntFunction<BatchedSplit> trainData;  // epoch → that epoch's minibatches
    private final Function<Model, EvalResult> validate; // null: no validation split
    private final BatchedSplit.Layout layout;
    private final int checkpointEveryRounds;
    private final int patience;
    private final DataSet probe;                        // null: no update-rate probing
    private final long tokensPerBatch;
    private final long examplesPerBatch;
    private final double scoreUnits;
    private final Listener listener;
    private final double maxSeconds;                    // < 0: no wall-clock budget
    private long lastCheckpointStep = -1;               // step of the newest checkpoint known good; -1: none
    private String stoppedBy;

    /** {@link #stoppedBy()} values. */
    public static final String STOP_EPOCHS = "epochs";
    public static final String STOP_MAX_STEPS = "max-steps";
    public static final String STOP_MAX_SECONDS = "max-seconds";
    public static final String STOP_EARLY = "early-stopping";

    private TrainingLoop(Builder b) {
        this.engine = b.engine;
        this.schedule = b.schedule;
        this.lrAtStep = b.lrAtStep;
        this.trainData = b.trainData;
        this.validate = b.validate;
        this.layout = b.layout;
        this.checkpointEveryRounds = b.checkpointEveryRounds;
        this.patience = b.patience;
        this.probe = b.probe;
        this.tokensPerBatch = b.tokensPerBatch;
        this.examplesPerBatch = b.examplesPerBatch;
        this.scoreUnits = b.scoreUnits;
        this.listener = b.listener;
        this.maxSeconds = b.maxSeconds;
    }

    public static Builder builder(TrainingEngine engine, Schedule schedule, IntFunction<BatchedSplit> trainData) {
        return new Builder(engine, schedule, trainData);
    }

    /** Runs from {@code start} (TrainState.start() for a fresh run) to the end; returns the final state. */
    public TrainState run(TrainState start) {
        TrainState state = start;
        long total = schedule.totalSteps();
        long t0 = System.currentTimeMillis();
        long stepAtStart = start.step();
        stoppedBy = null;
        // A run resumed at step S (> 0) started from the checkpoint of step S.
        lastCheckpointStep = start.step() > 0 ? start.step() : -1;
        while (!state.stopped() && state.epoch() < schedule.epochs() && state.step() < total) {
            BatchedSplit data = trainData.apply(state.epoch());
            while (state.round() < schedule.roundsPerEpoch() && state.step() < total) {
                state = fitRound(data, state, total, t0, stepAtStart);
                if (checkpointEveryRounds > 0 && state.rounds() % checkpointEveryRounds == 0) {
                    checkpoint(state, "round");
                }
                if (overBudget(t0) && state.round() < schedule.roundsPerEpoch()) {
                    // the wall-clock budget is spent inside the epoch: checkpoint (not marked stopped, so a
                    // resume continues from here) and end
                    stoppedBy = STOP_MAX_SECONDS;
                    checkpoint(state, STOP_MAX_SECONDS);
                    return state;
                }
            }
            if (state.round() < schedule.roundsPerEpoch()) {
                // max-steps reached inside the epoch: checkpoint (not marked stopped, so a resume
                // with a larger train.max-steps continues from here) and end.
                stoppedBy = STOP_MAX_STEPS;
                checkpoint(state, "max-steps");
                break;
            }
            state = endEpoch(state);
            if (state.stopped()) {
                stoppedBy = STOP_EARLY;
            } else if (overBudget(t0) && state.epoch() < schedule.epochs() && state.step() < total) {
                stoppedBy = STOP_MAX_SECONDS;   // the epoch's checkpoint is the last one
                return state;
            }
        }
        if (stoppedBy == null) {
            stoppedBy = state.stopped() ? STOP_EARLY : state.step() >= total && schedule.maxSteps() >= 0
                    && total < (long) schedule.epochs() * schedule.stepsPerEpoch() ? STOP_MAX_STEPS : STOP_EPOCHS;
        }
        return state;
    }

    /** What ended the last {@link #run}: "epochs", "max-steps", "max-seconds" or "early-stopping" (null before). */
    public String stoppedBy() {
        return stoppedBy;
    }

    private boolean overBudget(long t0) {
        return maxSeconds >= 0 && System.currentTimeMillis() - t0 >= maxSeconds * 1000.0;
    }

    private TrainState fitRound(BatchedSplit data, TrainState state, long total, long t0, long stepAtStart) {
        long r = state.round();
        long lo = schedule.roundStart(r);
        int perWorker = (int) Math.min(schedule.stepsInRound(r), total - state.step());
        long hi = Math.min(schedule.batchesPerEpoch(), Math.min(lo + schedule.batchesPerRound(), lo + (long) schedule.workers() * perWorker));
        double lr = lrAtStep.applyAsDouble(state.step());
        engine.setLearningRate(lr);
        // The regularisation term inside the workers' score is that of the parameters they started from
        // (exactly so for their first step); the averaged parameters after the round are another matter.
        double penaltyAtStart = Networks.regularizationScore(engine.network());
        JavaRDD<DataSet> round = data.round(lo, hi, schedule.workers(), perWorker, layout);
        String what = "suRNN train epoch " + (state.epoch() + 1) + " round " + (r + 1) + "/" + schedule.roundsPerEpoch();
        TrainingEngine.RoundResult res = engine.fitRound(round, what, perWorker);
        TrainState next = state.afterRound(perWorker);
        double loss = (res.loss() - penaltyAtStart) / scoreUnits;
        checkRound(res.loss(), penaltyAtStart, loss, next);
        long elapsed = System.currentTimeMillis() - t0;
        double perStep = elapsed / 1000.0 / Math.max(1, next.step() - stepAtStart);
        listener.onRound(new RoundReport(state.epoch(), r, schedule.roundsPerEpoch(), next.step(), total, loss, lr,
                res.millis(), (hi - lo) * examplesPerBatch, (hi - lo) * tokensPerBatch, updateRates(),
                perStep * (total - next.step()), res.profile()));
        return next;
    }

    /*
     * The round's loss as reported (fitRound): dl4j-spark's score is the workers' mean last-minibatch
     * score, which includes the regularisation term (weight decay, L2) DL4J computed for the parameters
     * of that minibatch, before its update. The term taken out is the one of the round's starting
     * parameters: exact with averaging-frequency 1 (every worker's only step starts there), close
     * otherwise. The term of the parameters after the round, subtracted before, is larger by however
     * much the round grew the weights: with lr = 1e6 it made the "cross-entropy" hugely negative. The
     * rest is divided by the units one score covers (the tokens of a tBPTT segment for language
     * models), so the figure is nats per token or per example.
     */

    /** Data loss, score and the network after the round must be finite (see the class note). */
    private void checkRound(double score, double penalty, double loss, TrainState after) {
        Optional<String> bad = NetworkState.nonFinite(engine.network());
        if (!Double.isFinite(loss) || !Double.isFinite(score) || bad.isPresent()) {
            String value = "loss " + loss + (Double.isFinite(score) && Double.isFinite(penalty) ? ""
                    : " (score " + score + ", regularisation term " + penalty + ")");
            throw diverged(after, value + bad.map(b -> "; " + b).orElse(""));
        }
    }

    /** Checkpoints {@code state} after checking the network once more: a checkpoint is only ever a finite state. */
    private void checkpoint(TrainState state, String why) {
        Optional<String> bad = NetworkState.nonFinite(engine.network());
        if (bad.isPresent()) {
            throw diverged(state, bad.get() + " before the " + why + " checkpoint");
        }
        listener.checkpoint(engine.network(), state, why);
        lastCheckpointStep = state.step();
    }

    private TrainingDivergedException diverged(TrainState at, String what) {
        String last = lastCheckpointStep >= 0
                ? "the last good checkpoint is step " + lastCheckpointStep + " (train --resume continues from it)"
                : "no checkpoint was written before it";
        return new TrainingDivergedException(at.step(), lastCheckpointStep, "training diverged at step " + at.step()
                + " (epoch " + (at.epoch() + 1) + ", round " + at.round() + "): " + what
                + "; lower train.optimizer.lr or enable train.clip; " + last);
    }

    private TrainState endEpoch(TrainState state) {
        double best = state.bestMetric();
        int bad = state.badEvals();
        boolean stop = false;
        EvalResult valid = validate == null ? null : validate.apply(engine.network());
        if (valid != null) {
            boolean better = Double.isNaN(best) || (valid.higherIsBetter() ? valid.metric() > best : valid.metric() < best);
            best = better ? valid.metric() : best;
            bad = better ? 0 : bad + 1;
            stop = patience > 0 && bad >= patience;
        }
        TrainState next = state.afterEpoch(best, bad, stop);
        listener.onEpoch(state.epoch(), valid, next);
        checkpoint(next, "epoch");
        return next;
    }

    /** Each su-layer's update rate on the probe minibatch (wrapped ones included, see {@link UpdateRates#measure}). */
    private double[] updateRates() {
        if (probe == null) {
            return new double[0];
        }
        return UpdateRates.measure(engine.network(), probe.getFeatures(), probe.getFeaturesMaskArray());
    }

    /** Fluent construction; defaults: no validation, ASSIGN layout, no round checkpoints, no early stopping. */
    public static final class Builder {
        private final TrainingEngine engine;
        private final Schedule schedule;
        private final IntFunction<BatchedSplit> trainData;
        private LongToDoubleFunction lrAtStep = s -> 1e-3;
        private Function<Model, EvalResult> validate;
        private BatchedSplit.Layout layout = BatchedSplit.Layout.ASSIGN;
        private int checkpointEveryRounds;
        private int patience;
        private DataSet probe;
        private long tokensPerBatch;
        private long examplesPerBatch;
        private double scoreUnits = 1;
        private Listener listener = new Listener() {};
        private double maxSeconds = -1;

        private Builder(TrainingEngine engine, Schedule schedule, IntFunction<BatchedSplit> trainData) {
            this.engine = engine;
            this.schedule = schedule;
            this.trainData = trainData;
        }

        /** The learning rate at a step (0-based, per worker). */
        public Builder learningRate(LongToDoubleFunction f) {
            this.lrAtStep = f;
            return this;
        }

        public Builder validation(Function<Model, EvalResult> v) { this.validate = v; return this; }
        public Builder layout(BatchedSplit.Layout v) { this.layout = v; return this; }
        public Builder checkpointEveryRounds(int v) { this.checkpointEveryRounds = v; return this; }
        public Builder patience(int v) { this.patience = v; return this; }
        public Builder probe(DataSet v) { this.probe = v; return this; }
        public Builder unitsPerBatch(long examples, long tokens) { this.examplesPerBatch = examples; this.tokensPerBatch = tokens; return this; }
        public Builder listener(Listener v) { this.listener = v; return this; }

        /**
         * Wall-clock budget of this run in seconds (negative: none): training stops at the first round
         * boundary after it has elapsed, counted from the start of {@link #run} (validation and
         * checkpoints included), with a checkpoint not marked stopped.
         */
        public Builder maxSeconds(double v) { this.maxSeconds = v; return this; }

        /**
         * What one minibatch score sums over per sequence: 1 for classifiers (DL4J averages over
         * examples); for language models, the target tokens of the last tBPTT segment (DL4J's recurrent
         * output layer sums the loss over time steps and averages over the minibatch).
         */
        public Builder scoreUnits(double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException("scoreUnits must be > 0, got " + v);
            }
            this.scoreUnits = v;
            return this;
        }

        public TrainingLoop build() {
            return new TrainingLoop(this);
        }
    }
}
