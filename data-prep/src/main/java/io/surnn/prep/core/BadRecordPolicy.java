package io.surnn.prep.core;

/** What a prep job does with a bad input record (--on-bad-record). */
public enum BadRecordPolicy {
    /** Stop the job with a one-line error naming the file and location (the default). */
    FAIL,
    /** Leave the record out and count it by reason in manifest.skipped. */
    SKIP;

    /** Parses "fail" / "skip" (any case) for picocli. */
    public static BadRecordPolicy parse(String s) {
        for (BadRecordPolicy p : values()) {
            if (p.name().equalsIgnoreCase(s)) return p;
        }
        throw new IllegalArgumentException("--on-bad-record must be fail or skip, not '" + s + "'");
    }
}
