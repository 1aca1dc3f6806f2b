package io.surnn.driver.config;

/**
 * {@code surnn.checkpoint}: write one every {@code everyRounds} averaging rounds (0 = only at the end
 * of each epoch) and keep the newest {@code keep}.
 */
public record CheckpointConfig(int everyRounds, int keep) {}
