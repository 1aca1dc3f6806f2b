/**
 * The run configuration: HOCON files (conf/*.conf) plus {@code --set key=value} overrides on top of
 * the defaults in reference.conf, validated into immutable records before Spark starts.
 *
 * <p>Entry point: {@link io.surnn.driver.config.ConfigLoader#load}. It returns a
 * {@link io.surnn.driver.config.RunConfig}; every problem (unknown key, wrong type, impossible value)
 * is a {@link io.surnn.driver.config.ConfigError} whose one-line message names the file, line, key
 * and offending value.
 */
package io.surnn.driver.config;
