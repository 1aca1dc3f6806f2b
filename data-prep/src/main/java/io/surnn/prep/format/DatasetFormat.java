package io.surnn.prep.format;

import java.util.List;

/**
 * The dataset directory: the one contract between data-prep (which writes it) and the driver
 * (which reads it). Documented for users in docs/dataset-format.md; change both together.
 *
 * <pre>
 * DIR/
 *   manifest.json              {@link DatasetManifest}; written last, so its presence means "complete"
 *   vocab.txt                  one token per line, line number = id (only where a vocabulary applies)
 *   train/part-00000.parquet   Parquet shards per split (shard count configurable)
 *   valid/part-…  test/part-…
 * </pre>
 *
 * Every record is a row of int token ids; what the other columns hold depends on {@link Kind}.
 */
public final class DatasetFormat {
    private DatasetFormat() {}

    /** Bumped whenever a reader of the previous version could misread a new directory. */
    public static final int FORMAT_VERSION = 1;

    public static final String MANIFEST_FILE = "manifest.json";
    public static final String VOCAB_FILE = "vocab.txt";

    /** Canonical split names. LRA's "val" and WikiText's "valid" are both stored as "valid". */
    public static final String TRAIN = "train";
    public static final String VALID = "valid";
    public static final String TEST = "test";
    public static final List<String> SPLITS = List.of(TRAIN, VALID, TEST);

    // ---- Parquet columns -------------------------------------------------------------------
    /** long: record ordinal within its split, 0-based, dense; the sort key of a split. */
    public static final String COL_INDEX = "index";
    /** array&lt;int&gt;: token ids (classification: the input, not padded, length ≤ seq_len). */
    public static final String COL_TOKENS = "tokens";
    /** array&lt;int&gt;: second input of a pair record (kind PAIR only). */
    public static final String COL_TOKENS2 = "tokens2";
    /** int: class label in [0, num_classes) (kinds CLASSIFICATION and PAIR). */
    public static final String COL_LABEL = "label";
    /** long: position in the split's token stream of this window's first token (kind LM). */
    public static final String COL_OFFSET = "offset";
    /** array&lt;int&gt;: target ids, one per output position (kind COPY). */
    public static final String COL_TARGETS = "targets";

    /** What a record means, and so which columns it has. */
    public enum Kind {
        /**
         * Language modelling. A split is one contiguous token stream cut into windows of
         * {@code seq_len + 1} tokens that overlap by one token (window j starts at stream position
         * j·seq_len), so inputs are tokens[0..n-1] and targets tokens[1..n]; the last window may be
         * shorter. Columns: index, offset, tokens.
         */
        LM,
        /** One sequence, one label. Columns: index, tokens, label. */
        CLASSIFICATION,
        /** Two sequences, one label (LRA Retrieval). Columns: index, tokens, tokens2, label. */
        PAIR,
        /**
         * Sequence in, a short sequence of targets out, read off the last {@code targets.length}
         * steps (Selective Copy). Columns: index, tokens, targets.
         */
        COPY
    }
}
