package io.surnn.driver.train;

/**
 * A run that had started stopped on an I/O failure (a file of its run directory gone, a file system
 * error, its run lock lost). Not bad input, whatever the underlying exception (a missing file during
 * training is a {@code FileNotFoundException} too): the CLI reports it as {@code failed:} (exit 1).
 */
public final class TrainingFailedException extends RuntimeException {
    public TrainingFailedException(Throwable cause) {
        super(cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName(), cause);
    }
}
