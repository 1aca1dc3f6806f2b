package io.surnn.driver.checkpoint;

/**
 * A checkpoint that belongs to another run: its dataset manifest or its model shape / optimizer
 * differ from the current config. The message says which and what to do.
 */
public final class IncompatibleCheckpointException extends IllegalStateException {
    public IncompatibleCheckpointException(String message) {
        super(message);
    }
}
