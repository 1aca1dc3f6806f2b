package io.surnn.driver.tools;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.CellType;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;

/**
 * Enum values as configs spell them (lower case), for picocli's {@code ${COMPLETION-CANDIDATES}} in
 * help texts; parsing stays case-insensitive.
 */
final class LowerCaseNames {
    private LowerCaseNames() {}

    static Iterator<String> of(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).iterator();
    }

    /** The cell types. */
    static final class Cells implements Iterable<String> {
        @Override public Iterator<String> iterator() { return of(CellType.values()); }
    }

    /** The su-cells (the bench compares them against DL4J's LSTM separately). */
    static final class SuCells implements Iterable<String> {
        @Override public Iterator<String> iterator() {
            return of(CellType.selective());
        }
    }

    /** The gate modes. */
    static final class Gates implements Iterable<String> {
        @Override public Iterator<String> iterator() { return of(GateMode.values()); }
    }
}
