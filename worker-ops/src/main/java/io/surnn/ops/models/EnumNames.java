package io.surnn.ops.models;

import java.util.Arrays;
import java.util.Locale;

/** Case-insensitive parsing of the option enums of this package, with an error listing the accepted names. */
final class EnumNames {
    private EnumNames() {}

    static <E extends Enum<E>> E parse(Class<E> type, String value, String what) {
        E[] all = type.getEnumConstants();
        for (E e : all) {
            if (value != null && e.name().equalsIgnoreCase(value.trim())) return e;
        }
        String names = Arrays.stream(all).map(e -> e.name().toLowerCase(Locale.ROOT))
                .reduce((a, b) -> a + ", " + b).orElse("");
        throw new IllegalArgumentException("unknown " + what + " '" + value + "' (expected one of " + names + ")");
    }
}
