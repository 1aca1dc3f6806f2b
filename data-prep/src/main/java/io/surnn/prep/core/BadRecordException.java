package io.surnn.prep.core;

/**
 * One input record that cannot be turned into a dataset record. {@code file} is the input it came
 * from, {@code location} where in it ("line 12", "byte 4096", "entry train/pos/1_7.txt"), and
 * {@code reason} a short, stable phrase (it becomes the key of manifest.skipped, so keep variable
 * values such as the offending token in {@code detail}, not in the reason).
 *
 * <p>Thrown inside Spark tasks; {@link BadRecords#handle} decides between failing the job and
 * counting the record as skipped. It is serialisable, so the driver finds it in the cause chain of
 * the SparkException that stops the job (see {@link #findIn}).
 */
public class BadRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String location;
    private final String reason;

    public BadRecordException(String file, String location, String reason) {
        this(file, location, reason, null);
    }

    public BadRecordException(String file, String location, String reason, String detail) {
        super("bad record in " + file + " at " + location + ": " + reason
                + (detail == null ? "" : " (" + detail + ")")
                + " — fix the input or pass --on-bad-record skip");
        this.file = file;
        this.location = location;
        this.reason = reason;
    }

    public String file() { return file; }

    public String location() { return location; }

    public String reason() { return reason; }

    /** The first BadRecordException in {@code t}'s cause chain (Spark wraps task failures), or null. */
    public static BadRecordException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadRecordException) return (BadRecordException) c;
            if (c.getCause() == c) break;
        }
        return null;
    }
}
