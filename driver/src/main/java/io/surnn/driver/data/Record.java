package io.surnn.driver.data;

import io.surnn.prep.format.DatasetFormat;
import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * One dataset record as the driver sees it: the columns of {@link DatasetFormat} that the record's
 * kind has, copied out of a Spark {@link Row} into plain arrays (so minibatch code and tests need no
 * Spark SQL). Absent columns are null (arrays) or -1 (label, offset).
 */
public final class Record implements Serializable {
    private static final long serialVersionUID = 1L;

    public final long index;
    public final long offset;
    public final int[] tokens;
    public final int[] tokens2;
    public final int label;
    public final int[] targets;

    public Record(long index, long offset, int[] tokens, int[] tokens2, int label, int[] targets) {
        this.index = index;
        this.offset = offset;
        this.tokens = tokens;
        this.tokens2 = tokens2;
        this.label = label;
        this.targets = targets;
    }

    public static Record classification(long index, int[] tokens, int label) {
        return new Record(index, -1, tokens, null, label, null);
    }

    public static Record lmWindow(long index, long offset, int[] tokens) {
        return new Record(index, offset, tokens, null, -1, null);
    }

    public static Record copy(long index, int[] tokens, int[] targets) {
        return new Record(index, -1, tokens, null, -1, targets);
    }

    public static Record pair(long index, int[] tokens, int[] tokens2, int label) {
        return new Record(index, -1, tokens, tokens2, label, null);
    }

    /** Copies the columns {@code kind} defines out of {@code row}; a missing column is an error naming it. */
    public static Record fromRow(Row row, DatasetFormat.Kind kind) {
        long index = row.getLong(row.fieldIndex(DatasetFormat.COL_INDEX));
        int[] tokens = ints(row, DatasetFormat.COL_TOKENS);
        switch (kind) {
            case LM:
                return lmWindow(index, row.getLong(row.fieldIndex(DatasetFormat.COL_OFFSET)), tokens);
            case CLASSIFICATION:
                return classification(index, tokens, row.getInt(row.fieldIndex(DatasetFormat.COL_LABEL)));
            case PAIR:
                return pair(index, tokens, ints(row, DatasetFormat.COL_TOKENS2),
                        row.getInt(row.fieldIndex(DatasetFormat.COL_LABEL)));
            case COPY:
                return copy(index, tokens, ints(row, DatasetFormat.COL_TARGETS));
            default:
                throw new IllegalArgumentException("unknown dataset kind " + kind);
        }
    }

    private static int[] ints(Row row, String column) {
        List<Integer> list = row.getList(row.fieldIndex(column));
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    @Override
    public String toString() {
        return "Record{index=" + index + ", tokens=" + (tokens == null ? "-" : tokens.length + " ids")
                + (label >= 0 ? ", label=" + label : "") + (offset >= 0 ? ", offset=" + offset : "")
                + (targets == null ? "" : ", targets=" + Arrays.toString(targets)) + "}";
    }
}
