package io.surnn.prep.core;

/**
 * A user error in a prep job (missing input, output in the way, bad option value): reported by
 * {@code surnn prep} as one line on stderr with exit code 2, never with a stack trace.
 */
public class PrepException extends RuntimeException {
    public PrepException(String message) {
        super(message);
    }

    public PrepException(String message, Throwable cause) {
        super(message, cause);
    }
}
