package io.surnn.driver.config;

/**
 * A configuration problem, with a one-line message of the form
 * {@code conf/listops.conf:14: train.optimizer.lr: must be > 0, got -1}.
 * Thrown before Spark starts; the CLI prints the message and exits with a usage error.
 */
public final class ConfigError extends IllegalArgumentException {
    public ConfigError(String message) {
        super(message);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
    }
}
