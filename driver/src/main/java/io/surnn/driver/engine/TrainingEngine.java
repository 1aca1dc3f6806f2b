package io.surnn.driver.engine;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One synchronous data-parallel training engine, seen from the training loop: fit one averaging
 * round, expose the averaged network, change the learning rate between rounds. The loop decides
 * what a round holds (see {@link io.surnn.driver.data.BatchedSplit#round}); the engine must fit
 * every minibatch of the round exactly once and leave the averaged parameters and updater state in
 * {@link #network()}.
 */
public interface TrainingEngine extends AutoCloseable {

    /**
     * Fits one round: each partition of {@code round} is one worker's consecutive minibatches.
     *
     * @param description shown in the Spark UI as the jobs' description, e.g. "suRNN train epoch 2 round 14"
     * @param stepsPerWorker optimizer steps the busiest worker makes in this round (for the step count)
     */
    RoundResult fitRound(JavaRDD<DataSet> round, String description, int stepsPerWorker);

    /**
     * The driver's copy of the network (a MultiLayerNetwork or a ComputationGraph; see {@link io.surnn.ops.models.Networks}),
     * holding the averaged parameters after each round.
     */
    Model network();

    /** The learning rate every layer's updater uses from the next round on. */
    void setLearningRate(double lr);

    /** Engine name for reports ("parameter-averaging", "allreduce"). */
    String name();

    @Override
    void close();

    /**
     * What one round produced: the workers' mean last-minibatch loss, the wall time and where that
     * time went ({@link RoundProfile#NONE} from an engine that does not profile).
     */
    record RoundResult(double loss, long millis, RoundProfile profile) {
        public RoundResult {
            profile = profile == null ? RoundProfile.NONE : profile;
        }

        /** A result without a time breakdown. */
        public RoundResult(double loss, long millis) {
            this(loss, millis, RoundProfile.NONE);
        }
    }
}
