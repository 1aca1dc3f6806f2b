package io.surnn.driver.data;

import io.surnn.prep.format.DatasetFormat;

import java.io.Serializable;

/**
 * How a split's records are cut into numbered minibatches: which batch a record falls into, and
 * how many batches there are. Everything here is a pure function of (kind, record count, batch size,
 * windows per row), so the driver and every executor agree on the numbering without talking.
 *
 * <p>LM: {@code windowsPerRow} consecutive windows form one row (one long sequence that truncated
 * BPTT walks through with carried state); B consecutive rows form one batch. So batch k covers a
 * contiguous stretch of the token stream, and consecutive batches continue it.
 * Other kinds: one record per row, B rows per batch, optionally in a seeded shuffled order.
 */
public final class BatchPlan implements Serializable {
    private static final long serialVersionUID = 1L;

    public final DatasetFormat.Kind kind;
    public final long records;
    public final int batchSize;
    public final int windowsPerRow;

    public BatchPlan(DatasetFormat.Kind kind, long records, int batchSize, int windowsPerRow) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (windowsPerRow < 1) {
            throw new IllegalArgumentException("windows per row must be >= 1, got " + windowsPerRow);
        }
        if (records < 1) {
            throw new IllegalArgumentException("the split has no records");
        }
        if (kind != DatasetFormat.Kind.LM && windowsPerRow != 1) {
            throw new IllegalArgumentException(kind + " records are one per row, got windows per row " + windowsPerRow
                    + " (rows of several records are for LM windows; DatasetProfile decides)");
        }
        this.kind = kind;
        this.records = records;
        this.batchSize = batchSize;
        this.windowsPerRow = windowsPerRow;
    }

    /**
     * Windows per LM row so that a row is at least one tBPTT segment long: rows of a single window
     * when the dataset's windows are already ≥ tbptt, else enough consecutive windows to reach it.
     */
    public static int windowsPerRowFor(int seqLen, int tbptt) {
        if (seqLen < 1 || tbptt < 1) {
            throw new IllegalArgumentException("seq_len and tbptt must be >= 1, got " + seqLen + ", " + tbptt);
        }
        return seqLen >= tbptt ? 1 : (tbptt + seqLen - 1) / seqLen;
    }

    public long rows() {
        return (records + windowsPerRow - 1) / windowsPerRow;
    }

    public long batches() {
        return (rows() + batchSize - 1) / batchSize;
    }

    /** The batch a record at position {@code position} (its index, or its shuffled place) belongs to. */
    public long batchOf(long position) {
        return position / windowsPerRow / batchSize;
    }
}
