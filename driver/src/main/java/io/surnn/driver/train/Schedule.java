package io.surnn.driver.train;

/**
 * The shape of training, fixed before the first round: rounds per epoch, optimizer steps per round,
 * the total step count (which the learning-rate decay spans) and the cut-off at max-steps. Pure
 * arithmetic on the batch count, so a resumed run computes exactly the same schedule.
 *
 * <p>A round is {@code workers × averagingFrequency} consecutive minibatches; worker w fits the w-th
 * run of F of them. A "step" is one optimizer step of the busiest worker.
 */
public record Schedule(long batchesPerEpoch, int workers, int averagingFrequency, int epochs, long maxSteps) {

    public Schedule {
        if (batchesPerEpoch < 1 || workers < 1 || averagingFrequency < 1 || epochs < 1) {
            throw new IllegalArgumentException("schedule out of range: batches=" + batchesPerEpoch + ", workers=" + workers
                    + ", averagingFrequency=" + averagingFrequency + ", epochs=" + epochs);
        }
    }

    public long batchesPerRound() {
        return (long) workers * averagingFrequency;
    }

    public long roundsPerEpoch() {
        return (batchesPerEpoch + batchesPerRound() - 1) / batchesPerRound();
    }

    /** First batch of round r. */
    public long roundStart(long r) {
        return r * batchesPerRound();
    }

    /**
     * Minibatches per worker in round r of an epoch: F, except in a short last round, whose n
     * batches are spread evenly (ceil(n / workers) each) so it takes as few steps as possible.
     */
    public int stepsInRound(long r) {
        long n = Math.min(batchesPerEpoch, roundStart(r) + batchesPerRound()) - roundStart(r);
        return (int) Math.min(averagingFrequency, (n + workers - 1) / workers);
    }

    public long stepsPerEpoch() {
        long full = roundsPerEpoch() - 1;
        return full * averagingFrequency + stepsInRound(roundsPerEpoch() - 1);
    }

    /** Steps the whole run will take: epochs × steps per epoch, capped by max-steps (if ≥ 0). */
    public long totalSteps() {
        long all = epochs * stepsPerEpoch();
        return maxSteps >= 0 ? Math.min(all, maxSteps) : all;
    }
}
