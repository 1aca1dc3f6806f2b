package io.surnn.driver.train;

/**
 * Training produced a non-finite loss or network state; the message names the step, the value and
 * the last good checkpoint.
 */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;
    private final long lastGoodCheckpointStep;

    public TrainingDivergedException(long step, long lastGoodCheckpointStep, String message) {
        super(message);
        this.step = step;
        this.lastGoodCheckpointStep = lastGoodCheckpointStep;
    }

    public long step() {
        return step;
    }

    /** Step of the newest checkpoint written (or resumed from) with a finite state; -1 if none. */
    public long lastGoodCheckpointStep() {
        return lastGoodCheckpointStep;
    }
}
