package io.surnn.driver.train;

/** Training produced a non-finite loss or parameters; the message names the step and epoch. */
public final class TrainingDivergedException extends RuntimeException {
    private final long step;

    public TrainingDivergedException(long step, String message) {
        super(message);
        this.step = step;
    }

    public long step() {
        return step;
    }
}
