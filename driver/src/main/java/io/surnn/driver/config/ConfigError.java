package io.surnn.driver.config;

import java.util.List;

/**
 * One or more configuration problems, each a line of the form
 * {@code conf/listops.conf:14: train.optimizer.lr: must be > 0, got -1}. Thrown before Spark starts;
 * the CLI prints every line of {@link #problems()} and exits with a usage error.
 *
 * <p>The message is the problems joined by newlines, so a single problem reads as before.
 */
public final class ConfigError extends IllegalArgumentException {
    private final List<String> problems;

    public ConfigError(String message) {
        this(message, null);
    }

    public ConfigError(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of(message);
    }

    private ConfigError(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** All of {@code problems} (at least one) in one error, in the order they were found. */
    public static ConfigError of(List<String> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems to report");
        }
        return new ConfigError(problems);
    }

    /** The problems, one line each, in the order they were found. */
    public List<String> problems() {
        return problems;
    }
}
