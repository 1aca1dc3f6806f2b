package io.surnn.driver.config;

import java.util.Locale;

/**
 * How enum constants are written in config files: lower case with hyphens ({@code DUAL_ENCODER} ↔
 * {@code dual-encoder}).
 *
 * <p>Design note: the model's own choices (cell, gate mode, surrogate, readout, optimizer) are read
 * straight into worker-ops' enums ({@code CellType}, {@code GateMode}, {@code Surrogate},
 * {@code Readout}, {@code Optimizer}), so the config holds no copies of them; {@link #configName(Enum)}
 * spells any enum. Driver-only choices (family, repartition, decay) implement this interface, which
 * lets one of them override its spelling.
 */
public interface ConfigEnum {
    String name();

    /** The spelling used in config files. */
    default String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The config-file spelling of any enum constant (its own {@link #configName()} for a ConfigEnum). */
    static String configName(Enum<?> e) {
        return e instanceof ConfigEnum c ? c.configName() : e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
