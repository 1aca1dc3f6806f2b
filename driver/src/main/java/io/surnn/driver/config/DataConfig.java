package io.surnn.driver.config;

/** {@code surnn.data}: where the dataset directory (written by {@code surnn prep}) lives. */
public record DataConfig(String path) {}
