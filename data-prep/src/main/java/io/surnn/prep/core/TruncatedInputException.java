package io.surnn.prep.core;

import java.io.IOException;

/** A binary input file ends inside a record: carries the file and the byte offset where that record began. */
public final class TruncatedInputException extends IOException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;

    public TruncatedInputException(String file, long offset, String detail) {
        super(file + ": truncated at byte offset " + offset + " (" + detail + ")");
        this.file = file;
        this.offset = offset;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String detail() {
        String m = getMessage();
        return m.substring(m.indexOf('(') + 1, m.length() - 1);
    }
}
