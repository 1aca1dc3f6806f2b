package io.surnn.driver.train;

import io.surnn.driver.data.DatasetProfile;
import io.surnn.driver.data.BatchPlan;
import io.surnn.driver.data.BatchedSplit;
import io.surnn.driver.data.Minibatches;
import io.surnn.driver.data.Record;
import io.surnn.driver.engine.EngineSettings;
import io.surnn.driver.engine.ParameterAveragingEngine;
import io.surnn.driver.eval.EvalResult;
import io.surnn.driver.testutil.SparkTestContext;
import io.surnn.driver.testutil.TinyNets;
import io.surnn.ops.models.Readout;
import io.surnn.ops.models.SequenceClassifierBuilder;
import io.surnn.prep.format.DatasetFormat;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingLoopTest {
    private static final int VOCAB = 12;
    private static final int CLASSES = 3;
    private static final int B = 8;
    private static final int WORKERS = 2;
    private static final int FREQ = 2;
    private static JavaSparkContext sc;
    private static List<Record> records;
    private final Map<Integer, BatchedSplit> epochs = new HashMap<>();

    @BeforeAll
    static void start() {
        sc = SparkTestContext.start("local[2]", "TrainingLoopTest");
        records = TinyNets.records(80, VOCAB, CLASSES, 21);   // 10 batches → 3 rounds/epoch (4+4+2)
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @AfterEach
    void unpersist() {
        epochs.values().forEach(BatchedSplit::close);
        epochs.clear();
    }

    /** Epoch e's minibatches: shuffled with seed 100 + e, built once per epoch and reused. */
    private BatchedSplit epoch(int e) {
        return epochs.computeIfAbsent(e, k -> BatchedSplit.build(sc, "train", sc.parallelize(records, 2),
                new BatchPlan(DatasetFormat.Kind.CLASSIFICATION, records.size(), B, 1),
                recs -> Minibatches.classification(recs, CLASSES), 100L + k, 2));
    }

    private Schedule schedule(int epochCount) {
        return new Schedule(epoch(0).numBatches(), WORKERS, FREQ, epochCount, -1);
    }

    private TrainingLoop loop(ParameterAveragingEngine engine, Schedule s, TrainingLoop.Listener l, double lr) {
        return TrainingLoop.builder(engine, s, this::epoch)
                .learningRate(step -> lr * Math.min(1.0, (step + 1) / 3.0))   // warm-up: the LR depends on the step
                .checkpointEveryRounds(1)
                .listener(l)
                .build();
    }

    private static ParameterAveragingEngine engine(MultiLayerNetwork net) {
        return new ParameterAveragingEngine(sc, net, new EngineSettings(B, FREQ, 0, WORKERS, 1));
    }

    /** Keeps checkpoints in memory the way the store does on disk: model zip with updater + state. */
    private static final class MemoryCheckpoints implements TrainingLoop.Listener {
        final List<byte[]> models = new ArrayList<>();
        final List<TrainState> states = new ArrayList<>();
        final List<RoundReport> reports = new ArrayList<>();
        int crashAfterCheckpoints = Integer.MAX_VALUE;

        @Override
        public void onRound(RoundReport report) {
            reports.add(report);
        }

        @Override
        public void checkpoint(org.deeplearning4j.nn.api.Model net, TrainState state, String why) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                ModelSerializer.writeModel(net, out, true);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            models.add(out.toByteArray());
            states.add(TrainState.fromJson(state.toJson(), "test"));
            if (states.size() == crashAfterCheckpoints) {
                throw new IllegalStateException("simulated driver crash");
            }
        }

        MultiLayerNetwork restoreLast() throws IOException {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(models.get(models.size() - 1)), true);
        }
    }

    @Test
    void resumedRunEndsAtTheSameStepWithTheSameParameters() throws IOException {
        MultiLayerNetwork initial = TinyNets.classifier(VOCAB, CLASSES, 0.01, 9);
        Schedule s = schedule(2);

        MemoryCheckpoints full = new MemoryCheckpoints();
        TrainState done;
        INDArray expected;
        try (ParameterAveragingEngine e = engine(initial.clone())) {
            done = loop(e, s, full, 0.01).run(TrainState.start());
            expected = e.network().params().dup();
        }
        assertEquals(s.totalSteps(), done.step());
        assertEquals(2 * (2 + 2 + 1), done.step());

        MemoryCheckpoints crashed = new MemoryCheckpoints();
        crashed.crashAfterCheckpoints = 4;   // dies right after the 4th checkpoint (epoch 2, round 1)
        try (ParameterAveragingEngine e = engine(initial.clone())) {
            assertThrows(IllegalStateException.class, () -> loop(e, s, crashed, 0.01).run(TrainState.start()));
        }
        TrainState at = crashed.states.get(crashed.states.size() - 1);
        assertTrue(at.step() > 0 && at.step() < done.step(), "crash state " + at);

        TrainState resumed;
        INDArray actual;
        try (ParameterAveragingEngine e = engine(crashed.restoreLast())) {
            resumed = loop(e, s, new MemoryCheckpoints(), 0.01).run(at);
            actual = e.network().params().dup();
        }
        assertEquals(done.step(), resumed.step());
        assertEquals(done.rounds(), resumed.rounds());
        double maxDiff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(maxDiff < 1e-5, "max |param difference| after resume = " + maxDiff);
    }

    @Test
    void wallClockBudgetStopsAtTheFirstRoundBoundaryAfterItWithACheckpoint() {
        MemoryCheckpoints ckpt = new MemoryCheckpoints();
        List<String> why = new ArrayList<>();
        TrainingLoop.Listener l = new TrainingLoop.Listener() {
            @Override
            public void checkpoint(org.deeplearning4j.nn.api.Model net, TrainState state, String w) {
                why.add(w);
                ckpt.checkpoint(net, state, w);
            }
        };
        try (ParameterAveragingEngine e = engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9))) {
            TrainingLoop loop = TrainingLoop.builder(e, schedule(3), this::epoch).maxSeconds(1e-3).listener(l).build();
            TrainState end = loop.run(TrainState.start());
            assertEquals(TrainingLoop.STOP_MAX_SECONDS, loop.stoppedBy());
            assertEquals(FREQ, end.step(), "one round of " + FREQ + " steps, then the spent budget stops it");
            assertEquals(1, end.round());
            assertTrue(!end.stopped(), "not marked stopped: a resume continues from here");
            assertEquals(List.of(TrainingLoop.STOP_MAX_SECONDS), why);
            assertEquals(FREQ, ckpt.states.get(0).step());
        }
        try (ParameterAveragingEngine e = engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9))) {
            Schedule s = schedule(1);
            TrainingLoop loop = TrainingLoop.builder(e, s, this::epoch).maxSeconds(3600).build();
            TrainState end = loop.run(TrainState.start());
            assertEquals(TrainingLoop.STOP_EPOCHS, loop.stoppedBy(), "a budget never reached changes nothing");
            assertEquals(s.totalSteps(), end.step());
        }
        try (ParameterAveragingEngine e = engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9))) {
            TrainingLoop loop = TrainingLoop.builder(e, new Schedule(epoch(0).numBatches(), WORKERS, FREQ, 2, 3),
                    this::epoch).build();
            loop.run(TrainState.start());
            assertEquals(TrainingLoop.STOP_MAX_STEPS, loop.stoppedBy());
        }
    }

    /** The real engine, except that from round {@code from} on the averaged parameters come back NaN. */
    private static final class BlowUpEngine implements io.surnn.driver.engine.TrainingEngine {
        private final ParameterAveragingEngine real;
        private final int from;
        private int rounds;

        BlowUpEngine(ParameterAveragingEngine real, int from) {
            this.real = real;
            this.from = from;
        }

        @Override
        public RoundResult fitRound(org.apache.spark.api.java.JavaRDD<org.nd4j.linalg.dataset.DataSet> round, String d, int steps) {
            RoundResult r = real.fitRound(round, d, steps);
            if (++rounds >= from) {
                real.network().params().putScalar(0, Double.NaN);   // what an overflowing worker sends back
                return new RoundResult(Double.NaN, r.millis());
            }
            return r;
        }

        @Override public org.deeplearning4j.nn.api.Model network() { return real.network(); }
        @Override public void setLearningRate(double lr) { real.setLearningRate(lr); }
        @Override public String name() { return "blow-up"; }
        @Override public void close() { real.close(); }
    }

    @Test
    void nonFiniteLossStopsWithTheStepAndKeepsTheLastGoodCheckpoint() throws IOException {
        MemoryCheckpoints ckpt = new MemoryCheckpoints();
        try (BlowUpEngine e = new BlowUpEngine(engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9)), 2)) {
            TrainingLoop loop = TrainingLoop.builder(e, schedule(1), this::epoch)
                    .checkpointEveryRounds(1).listener(ckpt).build();
            TrainingDivergedException ex = assertThrows(TrainingDivergedException.class, () -> loop.run(TrainState.start()));
            assertEquals(2L * FREQ, ex.step(), ex.getMessage());
            assertTrue(ex.getMessage().startsWith("training diverged at step 4 "), ex.getMessage());
        }
        assertEquals(1, ckpt.states.size(), "only the good first round was checkpointed");
        assertEquals(FREQ, ckpt.states.get(0).step());
        MultiLayerNetwork good = ckpt.restoreLast();
        assertTrue(Double.isFinite(good.params().sumNumber().doubleValue()), "last checkpoint has finite parameters");
    }

    @Test
    void earlyStoppingEndsTrainingAfterPatienceEvaluationsWithoutImprovement() {
        double[] accuracies = {0.5, 0.4, 0.45, 0.9};
        int[] calls = {0};
        try (ParameterAveragingEngine e = engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9))) {
            TrainState end = TrainingLoop.builder(e, schedule(4), this::epoch)
                    .validation(net -> new EvalResult("valid", false, 1.0, accuracies[calls[0]++], 10, 10))
                    .patience(2).build().run(TrainState.start());
            assertEquals(3, calls[0], "validations run");
            assertTrue(end.stopped());
            assertEquals(3, end.epoch());
            assertEquals(0.5, end.bestMetric());
        }
    }

    @Test
    void reportedLossLeavesTheRegularisationTermOut() {
        // One worker, one minibatch, a learning rate too small to move anything: the reported loss must be
        // the data loss of that minibatch under the starting parameters, not DL4J's score (data + L2 term).
        MultiLayerNetwork net = TinyNets.classifier(VOCAB, CLASSES, 0.01, 9, 0.5);
        org.nd4j.linalg.dataset.DataSet first = epoch(0).round(0, 1, 1, 1, BatchedSplit.Layout.ASSIGN).first();
        double dataLoss = net.scoreExamples(first, false).meanNumber().doubleValue();
        double withPenalty = net.score(first);
        assertTrue(withPenalty - dataLoss > 0.1, "the L2 term must be visible: score " + withPenalty + " vs data " + dataLoss);
        MemoryCheckpoints l = new MemoryCheckpoints();
        try (ParameterAveragingEngine e = new ParameterAveragingEngine(sc, net, new EngineSettings(B, 1, 0, 1, 1))) {
            TrainingLoop.builder(e, new Schedule(epoch(0).numBatches(), 1, 1, 1, 1), this::epoch)
                    .learningRate(step -> 1e-12).listener(l).build().run(TrainState.start());
        }
        assertEquals(1, l.reports.size());
        assertEquals(dataLoss, l.reports.get(0).loss(), 1e-4, "reported loss vs the minibatch's data loss");
    }

    @Test
    void reportedLossIsTheDataLossEvenWhenTheStepBlowsTheWeightsUp() {
        // lr = 1e6: one Adam step moves every weight by about 1e6, so the L2 term of the parameters AFTER the
        // round dwarfs the one DL4J added to the score (computed before the update). Subtracting the former
        // printed a hugely negative "cross-entropy"; the term to subtract is the one of the round's start.
        MultiLayerNetwork net = TinyNets.classifier(VOCAB, CLASSES, 0.01, 9, 0.5);
        org.nd4j.linalg.dataset.DataSet first = epoch(0).round(0, 1, 1, 1, BatchedSplit.Layout.ASSIGN).first();
        double dataLoss = net.scoreExamples(first, false).meanNumber().doubleValue();
        MemoryCheckpoints l = new MemoryCheckpoints();
        try (ParameterAveragingEngine e = new ParameterAveragingEngine(sc, net, new EngineSettings(B, 1, 0, 1, 1))) {
            TrainingLoop.builder(e, new Schedule(epoch(0).numBatches(), 1, 1, 1, 1), this::epoch)
                    .learningRate(step -> 1e6).listener(l).build().run(TrainState.start());
        }
        assertEquals(1, l.reports.size());
        double reported = l.reports.get(0).loss();
        assertTrue(reported >= 0, "a cross-entropy is never negative: " + reported);
        assertEquals(dataLoss, reported, 1e-3, "reported loss vs the minibatch's data loss");
    }

    /** The real engine; after round {@code from} it applies {@code damage} to the averaged network. */
    private static final class DamagingEngine implements io.surnn.driver.engine.TrainingEngine {
        private final ParameterAveragingEngine real;
        private final int from;
        private final java.util.function.Consumer<MultiLayerNetwork> damage;
        private int rounds;

        DamagingEngine(ParameterAveragingEngine real, int from, java.util.function.Consumer<MultiLayerNetwork> damage) {
            this.real = real;
            this.from = from;
            this.damage = damage;
        }

        @Override
        public RoundResult fitRound(org.apache.spark.api.java.JavaRDD<org.nd4j.linalg.dataset.DataSet> round, String d, int steps) {
            RoundResult r = real.fitRound(round, d, steps);
            if (++rounds >= from) {
                damage.accept((MultiLayerNetwork) real.network());
            }
            return r;
        }

        @Override public org.deeplearning4j.nn.api.Model network() { return real.network(); }
        @Override public void setLearningRate(double lr) { real.setLearningRate(lr); }
        @Override public String name() { return "damaging"; }
        @Override public void close() { real.close(); }
    }

    private TrainingDivergedException divergeAtRound2(java.util.function.Consumer<MultiLayerNetwork> damage, double l2,
                                                       MemoryCheckpoints ckpt) {
        try (DamagingEngine e = new DamagingEngine(engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9, l2)), 2, damage)) {
            TrainingLoop loop = TrainingLoop.builder(e, schedule(1), this::epoch)
                    .checkpointEveryRounds(1).listener(ckpt).build();
            return assertThrows(TrainingDivergedException.class, () -> loop.run(TrainState.start()));
        }
    }

    @Test
    void nonFiniteUpdaterStateStopsTheRunBeforeItIsCheckpointed() throws IOException {
        // Parameters and score stay finite; only Adam's moment estimates overflowed.
        MemoryCheckpoints ckpt = new MemoryCheckpoints();
        TrainingDivergedException ex = divergeAtRound2(n -> n.getUpdater().getStateViewArray().putScalar(3, Double.POSITIVE_INFINITY), 0, ckpt);
        assertEquals(2L * FREQ, ex.step(), ex.getMessage());
        assertTrue(ex.getMessage().contains("updater state"), ex.getMessage());
        assertEquals(List.of(2L), ckpt.states.stream().map(TrainState::step).toList(), "only the good first round was checkpointed");
        assertTrue(ex.getMessage().contains("last good checkpoint is step 2"), ex.getMessage());
    }

    @Test
    void weightsWhosePenaltyOverflowsStopTheRunAndNoNegativeLossIsReported() throws IOException {
        // Finite but huge weights (what lr = 1e6 with weight decay makes in a few steps): their L2 term overflows
        // float32 to Infinity. The run used to report loss -Infinity for this round and checkpoint it.
        MemoryCheckpoints ckpt = new MemoryCheckpoints();
        TrainingDivergedException ex = divergeAtRound2(n -> n.params().muli(1e19), 0.5, ckpt);
        assertEquals(2L * FREQ, ex.step(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("training diverged at step 4 "), ex.getMessage());
        assertEquals(List.of(2L), ckpt.states.stream().map(TrainState::step).toList(), "no checkpoint of the bad round");
        for (RoundReport r : ckpt.reports) {
            assertTrue(Double.isFinite(r.loss()) && r.loss() >= 0, "reported loss " + r.loss() + " at step " + r.step());
        }
        assertTrue(Double.isFinite(ckpt.restoreLast().params().norm2Number().doubleValue()), "the checkpoint kept is really good");
    }

    @Test
    void divergenceBeforeAnyCheckpointSaysThereIsNone() {
        MemoryCheckpoints ckpt = new MemoryCheckpoints();
        try (DamagingEngine e = new DamagingEngine(engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9)), 1,
                n -> n.params().putScalar(0, Double.NaN))) {
            TrainingLoop loop = TrainingLoop.builder(e, schedule(1), this::epoch).checkpointEveryRounds(1).listener(ckpt).build();
            TrainingDivergedException ex = assertThrows(TrainingDivergedException.class, () -> loop.run(TrainState.start()));
            assertEquals(FREQ, ex.step());
            assertTrue(ex.getMessage().contains("no checkpoint"), ex.getMessage());
            assertTrue(ex.getMessage().contains("parameter"), ex.getMessage());
        }
        assertTrue(ckpt.states.isEmpty());
    }

    @Test
    void scoreUnitsTurnASequenceScoreIntoAPerTokenLoss() {
        assertEquals(44, DatasetProfile.lastSegmentTokens(1024, 70));   // 14 segments of 70, then 44
        assertEquals(32, DatasetProfile.lastSegmentTokens(64, 32));
        assertEquals(1024, DatasetProfile.lastSegmentTokens(1024, 0));  // no tBPTT: the whole row
        assertEquals(50, DatasetProfile.lastSegmentTokens(50, 70));
        assertThrows(IllegalArgumentException.class, () -> TrainingLoop.builder(null, null, null).scoreUnits(0));
    }

    @Test
    void maxStepsCutsTheRunInsideARound() {
        MemoryCheckpoints l = new MemoryCheckpoints();
        try (ParameterAveragingEngine e = engine(TinyNets.classifier(VOCAB, CLASSES, 0.01, 9))) {
            Schedule s = new Schedule(epoch(0).numBatches(), WORKERS, FREQ, 3, 3);
            TrainState end = TrainingLoop.builder(e, s, this::epoch).unitsPerBatch(B, 0).listener(l).build().run(TrainState.start());
            assertEquals(3, end.step());
            assertEquals(2, end.round(), "stopped inside epoch 1, after its second (shortened) round");
            assertTrue(!end.stopped(), "max-steps is not early stopping: a resume with more steps continues");
            assertEquals(2, l.reports.size());
            assertEquals(WORKERS * 1L * B, l.reports.get(1).examples(), "second round: one minibatch per worker");
        }
    }

    @Test
    void updateRatesIncludeTheLastLayerALastReadoutWraps() {
        // model.pooling = last: DL4J's LastTimeStep wraps rnn1; its rate must be reported like rnn0's
        MultiLayerNetwork net = new SequenceClassifierBuilder().vocabSize(VOCAB).embeddingSize(8).hiddenSize(12)
                .layers(2).dropout(0).numClasses(CLASSES).readout(Readout.LAST).learningRate(0.01).seed(9).buildNetwork();
        org.nd4j.linalg.dataset.DataSet probe = epoch(0).round(0, 1, 1, 1, BatchedSplit.Layout.ASSIGN).first();
        MemoryCheckpoints l = new MemoryCheckpoints();
        try (ParameterAveragingEngine e = engine(net)) {
            TrainingLoop.builder(e, new Schedule(epoch(0).numBatches(), WORKERS, FREQ, 1, FREQ), this::epoch)
                    .probe(probe).listener(l).build().run(TrainState.start());
        }
        assertEquals(1, l.reports.size());
        double[] rates = l.reports.get(0).updateRates();
        assertEquals(2, rates.length, "one rate per su-layer: rnn0 and the wrapped rnn1");
        for (double r : rates) {
            assertTrue(r > 0 && r <= 1, "update rate " + r);
        }
    }
}
