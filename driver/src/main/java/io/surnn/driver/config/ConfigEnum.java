package io.surnn.driver.config;

/**
 * An enum whose constants are written in config files in lower case with hyphens
 * ({@code DUAL_ENCODER} ↔ {@code dual-encoder}).
 */
public interface ConfigEnum {
    String name();

    /** The spelling used in config files. */
    default String configName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
