package io.surnn.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads a run configuration: reference.conf (defaults) ← the config file (which may
 * {@code include "cluster/standalone.conf"}, resolved relative to itself) ← {@code --set key=value}
 * overrides, in that order of increasing precedence. Then checks every key against reference.conf,
 * resolves substitutions and reads the tree into a {@link RunConfig}, validating types, ranges and
 * the few cross-key rules. Nothing here touches Spark or the file system beyond the config file.
 *
 * <p>Every problem is reported, not only the first: bad {@code --set}s, unknown keys and bad values
 * are collected and thrown together in one {@link ConfigError} (one line each, in the order found).
 * Only a problem that makes the rest unreadable stops the search early: a syntax error, an object
 * where a value belongs (or the reverse), an unresolvable substitution.
 *
 * <p>Usage: {@code RunConfig c = ConfigLoader.load(Path.of("conf/listops.conf"), List.of("data.path=/d"));}
 */
public final class ConfigLoader {
    private static final String ROOT = "surnn";

    private ConfigLoader() {}

    /**
     * Loads {@code file} with {@code overrides} ({@code key=value}; the key with or without the
     * {@code surnn.} prefix; the value parsed as a HOCON value, else taken as a plain string).
     *
     * @throws ConfigError with one line per problem, each naming file, key and value
     */
    public static RunConfig load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigError(file + ": no such config file");
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
            throw new ConfigError(oneLine(e), e);
        }
        return build(user, file.toString(), overrides);
    }

    /**
     * Parses HOCON text (e.g. a checkpoint's stored {@link RunConfig#render()}, or "" to start from the
     * defaults) with overrides. {@code source} names the text in error messages.
     */
    public static RunConfig parse(String hocon, String source, List<String> overrides) {
        Config user;
        try {
            user = ConfigFactory.parseString(hocon, ConfigParseOptions.defaults().setOriginDescription(source));
        } catch (ConfigException e) {
            throw new ConfigError(oneLine(e), e);
        }
        return build(user, source, overrides);
    }

    private static RunConfig build(Config user, String source, List<String> overrides) {
        List<String> problems = new ArrayList<>();
        Config merged = user;
        for (String o : overrides) {
            try {
                merged = parseOverride(o).withFallback(merged);
            } catch (ConfigError e) {
                problems.addAll(e.problems());
            }
        }
        if (!checkKeys(merged, problems)) {
            throw ConfigError.of(problems);       // an object where a value belongs: nothing more can be read
        }
        Config resolved;
        try {
            resolved = merged.withFallback(reference())
                    .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(true));
        } catch (ConfigException e) {
            problems.add(oneLine(e));
            throw ConfigError.of(problems);
        }
        Config surnn = resolved.getConfig(ROOT);
        RunConfig c = null;
        try {
            c = RunConfigReader.read(new ConfigReader(surnn), source, surnn);
        } catch (ConfigError e) {
            problems.addAll(e.problems());
        }
        if (!problems.isEmpty()) {
            throw ConfigError.of(problems);
        }
        return c;
    }

    /** Parses one {@code key=value} override into a one-key Config whose origin says "--set key=value". */
    static Config parseOverride(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new ConfigError("--set " + keyValue + ": expected key=value, e.g. --set train.epochs=3");
        }
        String key = keyValue.substring(0, eq).trim();
        String raw = keyValue.substring(eq + 1);
        String path = key.equals(ROOT) || key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
        try {
            ConfigUtil.splitPath(path);
        } catch (ConfigException e) {
            throw new ConfigError("--set " + keyValue + ": '" + key + "' is not a valid key path");
        }
        // The origin is quoted in error messages: keep a secret's value out of it.
        String shown = Redaction.sensitive(String.join(".", ConfigUtil.splitPath(path)))
                ? key + "=" + Redaction.REPLACEMENT : keyValue;
        ConfigValue value = parseValue(raw)
                .withOrigin(ConfigOriginFactory.newSimple("--set " + shown));
        return ConfigFactory.empty().withValue(path, value);
    }

    /**
     * A HOCON value ({@code 3}, {@code true}, {@code [1,2]}, {@code {a=1}}, {@code "quoted"}), or the raw
     * text as a string where HOCON would mangle it (URIs with {@code //}, text with {@code #}, empty).
     */
    static ConfigValue parseValue(String raw) {
        String trimmed = raw.trim();
        try {
            ConfigValue v = ConfigFactory.parseString("v = " + raw).root().get("v"); // keeps null
            boolean quoted = trimmed.startsWith("\"");
            if (v.valueType() == ConfigValueType.STRING && !quoted && !trimmed.equals(v.unwrapped())) {
                return ConfigValueFactory.fromAnyRef(trimmed);
            }
            return v;
        } catch (ConfigException e) {
            return ConfigValueFactory.fromAnyRef(trimmed);
        }
    }

    /** Adds every key problem to {@code problems}; false when the tree's shape makes it unreadable. */
    private static boolean checkKeys(Config merged, List<String> problems) {
        for (String top : merged.root().keySet()) {
            if (!top.equals(ROOT)) {
                ConfigValue v = merged.root().get(top);
                problems.add(ConfigReader.where(v.origin()) + ": " + top
                        + ": unknown key (every setting lives under surnn { … })");
            }
        }
        if (!merged.hasPath(ROOT)) {
            return true;
        }
        ConfigValue root = merged.root().get(ROOT);
        if (!(root instanceof ConfigObject)) {
            problems.add(ConfigReader.where(root.origin()) + ": surnn: must be an object { … }");
            return false;
        }
        return new KeyChecker(reference().getObject(ROOT)).check((ConfigObject) root, problems);
    }

    /** reference.conf from the driver's classpath (merged with any other reference.conf found). */
    static Config reference() {
        return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), "reference.conf");
    }

    private static String oneLine(ConfigException e) {
        return e.getMessage().replace('\n', ' ');
    }
}
