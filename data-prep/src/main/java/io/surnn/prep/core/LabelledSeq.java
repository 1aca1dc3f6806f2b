package io.surnn.prep.core;

import java.io.Serializable;

/** One classification record before it gets its index: token ids and a label. */
public final class LabelledSeq implements Serializable {
    private static final long serialVersionUID = 1L;
    public final int[] tokens;
    public final int label;

    public LabelledSeq(int[] tokens, int label) {
        this.tokens = tokens;
        this.label = label;
    }
}
