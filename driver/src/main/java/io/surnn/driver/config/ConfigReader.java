package io.surnn.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Typed, range-checked reads from the resolved {@code surnn} subtree. Every failure is a problem line
 * naming where the offending value was written (file:line, {@code --set …} or reference.conf), the key
 * (without the {@code surnn.} prefix) and the value.
 *
 * <p>Design: a failed read does not stop the reading. It records its problem and returns a neutral
 * value of the right type, so one pass over the tree finds every bad value; {@link #check()} then
 * throws them all in one {@link ConfigError}. The neutral values are never used: a reader with
 * problems never yields a RunConfig.
 */
final class ConfigReader {
    private final Config tree;
    private final List<String> problems = new ArrayList<>();

    ConfigReader(Config surnnTree) {
        this.tree = surnnTree;
    }

    /** Problems recorded so far (to tell whether a group of reads went cleanly). */
    int problemCount() {
        return problems.size();
    }

    /** Records a problem found outside the typed reads (a cross-key rule). */
    void report(ConfigError e) {
        problems.addAll(e.problems());
    }

    /** @throws ConfigError with every problem recorded so far, if any */
    void check() {
        if (!problems.isEmpty()) {
            throw ConfigError.of(problems);
        }
    }

    private <T> T collect(Supplier<T> read, T neutral) {
        try {
            return read.get();
        } catch (ConfigError e) {
            report(e);
            return neutral;
        }
    }

    String string(String key) {
        return collect(() -> stringValue(key), "");
    }

    private String stringValue(String key) {
        ConfigValue v = value(key);
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            throw error(key, "must be a string");
        }
        return String.valueOf(v.unwrapped());
    }

    String nonEmptyString(String key, String hint) {
        return collect(() -> {
            String s = stringValue(key).trim();
            if (s.isEmpty()) {
                throw error(key, "must be set" + (hint.isEmpty() ? "" : " (" + hint + ")"));
            }
            return s;
        }, "");
    }

    boolean bool(String key) {
        return collect(() -> boolValue(key), false);
    }

    private boolean boolValue(String key) {
        ConfigValue v = value(key);
        if (v.valueType() == ConfigValueType.BOOLEAN) {
            return (Boolean) v.unwrapped();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            String s = ((String) v.unwrapped()).trim().toLowerCase(Locale.ROOT);
            if (s.equals("true") || s.equals("yes") || s.equals("on")) return true;
            if (s.equals("false") || s.equals("no") || s.equals("off")) return false;
        }
        throw error(key, "must be true or false");
    }

    long integer(String key, long min, long max) {
        return collect(() -> integerValue(key, min, max), Math.max(min, Math.min(max, 0)));
    }

    private long integerValue(String key, long min, long max) {
        ConfigValue v = value(key);
        long n;
        if (v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long) {
            n = ((Number) v.unwrapped()).longValue();
        } else {
            double d = number(key, "an integer");
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw error(key, "must be an integer");
            }
            n = (long) d;
        }
        if (n < min) throw error(key, "must be >= " + min);
        if (n > max) throw error(key, "must be <= " + max);
        return n;
    }

    int intAtLeast(String key, int min) {
        return (int) integer(key, min, Integer.MAX_VALUE);
    }

    /**
     * {@code auto} (returned as null) or a list of strictly increasing integers &gt;= 1, e.g. [2000, 10000];
     * a comma-separated string ("2000,10000", as {@code --set} gives) is read as the list.
     */
    int[] autoOrIncreasingInts(String key) {
        return collect(() -> {
            ConfigValue v = value(key);
            List<Object> items;
            if (v.valueType() == ConfigValueType.LIST) {
                items = new ArrayList<>(((com.typesafe.config.ConfigList) v).unwrapped());
            } else if (v.valueType() == ConfigValueType.STRING || v.valueType() == ConfigValueType.NUMBER) {
                String text = String.valueOf(v.unwrapped()).trim();
                if (text.equalsIgnoreCase("auto")) return null;
                items = new ArrayList<>();
                for (String part : text.replace("[", "").replace("]", "").split(",")) {
                    if (!part.isBlank()) items.add(part.trim());
                }
            } else {
                throw error(key, "must be auto or a list of increasing integers, e.g. [2000, 10000]");
            }
            int[] out = new int[items.size()];
            for (int i = 0; i < out.length; i++) {
                Object o = items.get(i);
                long n;
                try {
                    n = o instanceof Number && ((Number) o).doubleValue() == Math.rint(((Number) o).doubleValue())
                            ? ((Number) o).longValue() : Long.parseLong(String.valueOf(o).trim());
                } catch (NumberFormatException e) {
                    throw error(key, "must be auto or a list of increasing integers, got '" + o + "'");
                }
                if (n < 1 || n > Integer.MAX_VALUE) throw error(key, "entries must be >= 1, got " + n);
                if (i > 0 && n <= out[i - 1]) {
                    throw error(key, "must increase strictly, got " + out[i - 1] + " then " + n);
                }
                out[i] = (int) n;
            }
            return out;
        }, null);
    }

    /** A finite number in [lo, hi] (inclusive flags say whether each end is allowed). */
    double real(String key, double lo, boolean loIncluded, double hi, boolean hiIncluded) {
        return collect(() -> realValue(key, lo, loIncluded, hi, hiIncluded), lo);
    }

    private double realValue(String key, double lo, boolean loIncluded, double hi, boolean hiIncluded) {
        double d = number(key, "a number");
        if (!Double.isFinite(d)) throw error(key, "must be a finite number");
        boolean lowOk = loIncluded ? d >= lo : d > lo;
        boolean highOk = hiIncluded ? d <= hi : d < hi;
        if (!lowOk || !highOk) {
            if (hi == Double.MAX_VALUE) {
                throw error(key, "must be " + (loIncluded ? ">= " : "> ") + fmt(lo));
            }
            throw error(key, "must be in " + (loIncluded ? "[" : "(") + fmt(lo) + ", " + fmt(hi)
                    + (hiIncluded ? "]" : ")"));
        }
        return d;
    }

    /** One of the enum's constants, written as {@link ConfigEnum#configName(Enum)} spells it. */
    <E extends Enum<E>> E choice(String key, Class<E> type) {
        return choice(key, type.getEnumConstants());
    }

    /** One of {@code allowed} (a subset of an enum the config accepts only in part, e.g. the optimizers). */
    @SafeVarargs
    final <E extends Enum<E>> E choice(String key, E... allowed) {
        return collect(() -> choiceValue(key, allowed), allowed[0]);
    }

    private <E extends Enum<E>> E choiceValue(String key, E[] allowed) {
        String s = stringValue(key).trim().toLowerCase(Locale.ROOT);
        for (E e : allowed) {
            if (ConfigEnum.configName(e).equals(s)) return e;
        }
        throw error(key, "must be one of " + Arrays.stream(allowed).map(ConfigEnum::configName)
                .collect(Collectors.joining(" | ")));
    }

    /**
     * An object of scalar settings flattened to dotted keys in file order: both
     * {@code "spark.executor.memory" = 4g} and {@code spark { executor.memory = 4g }} give
     * {@code spark.executor.memory → 4g}.
     */
    Map<String, String> flatScalars(String key) {
        return collect(() -> {
            ConfigValue v = value(key);
            if (v.valueType() != ConfigValueType.OBJECT) throw error(key, "must be an object { key = value }");
            Map<String, String> out = new LinkedHashMap<>();
            flatten(key, "", (ConfigObject) v, out);
            return out;
        }, Map.of());
    }

    private void flatten(String key, String prefix, ConfigObject obj, Map<String, String> out) {
        for (Map.Entry<String, ConfigValue> e : obj.entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            ConfigValue v = e.getValue();
            switch (v.valueType()) {
                case OBJECT -> flatten(key, name, (ConfigObject) v, out);
                case LIST -> report(new ConfigError(where(v.origin()) + ": " + key + "." + quoteIfDotted(name)
                        + ": must be a single value, got "
                        + (Redaction.sensitive(key + "." + name) ? Redaction.REPLACEMENT : render(v))));
                case NULL -> { /* null removes a setting inherited from a profile */ }
                default -> out.put(name, String.valueOf(v.unwrapped()));
            }
        }
    }

    private static String quoteIfDotted(String name) {
        return name.contains(".") ? "\"" + name + "\"" : name;
    }

    private double number(String key, String what) {
        ConfigValue v = value(key);
        if (v.valueType() == ConfigValueType.NUMBER) {
            return ((Number) v.unwrapped()).doubleValue();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Double.parseDouble(((String) v.unwrapped()).trim());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        throw error(key, "must be " + what);
    }

    private ConfigValue value(String key) {
        if (!tree.hasPathOrNull(key)) {
            // reference.conf defines every key, so this is a bug in the reader, not user input.
            throw new IllegalStateException("reference.conf lacks surnn." + key);
        }
        if (tree.getIsNull(key)) {
            throw new ConfigError(where(nullValue(key).origin()) + ": " + key + ": must not be null");
        }
        return tree.getValue(key);
    }

    /** The null value at {@code key} itself (Config.getValue refuses nulls), for its origin. */
    private ConfigValue nullValue(String key) {
        ConfigValue v = tree.root();
        for (String part : ConfigUtil.splitPath(key)) {
            v = ((ConfigObject) v).get(part);
        }
        return v;
    }

    ConfigError error(String key, String problem) {
        ConfigValue v = tree.getValue(key);
        return new ConfigError(where(v.origin()) + ": " + key + ": " + problem + ", got " + render(v));
    }

    /** {@code file:line}, {@code --set k=v} or {@code reference.conf}. */
    static String where(ConfigOrigin origin) {
        String name = origin.resource() != null ? origin.resource() : origin.filename();
        if (name != null) {
            return origin.lineNumber() > 0 ? name + ":" + origin.lineNumber() : name;
        }
        return origin.description();
    }

    static String render(ConfigValue v) {
        return v.render(ConfigRenderOptions.concise());
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
    }
}
