package io.surnn.prep.tasks.aan;

import io.surnn.prep.core.BadRecordException;
import io.surnn.prep.core.ByteTokens;

import java.nio.charset.StandardCharsets;

/**
 * One line of LRA Retrieval's {@code new_aan_pairs.<split>.tsv}: {@code label \t id1 \t id2 \t text1 \t text2}.
 *
 * <p>LRA (matching/input_pipeline.py) reads these with a 5-column TSV reader and casts the label to
 * int, so a label may be written {@code 0}/{@code 1} or {@code 0.0}/{@code 1.0}; anything else is a bad
 * row. Texts are taken as raw UTF-8 bytes and encoded with {@link ByteTokens} (shift by one, 0 =
 * padding), each side truncated to its first {@code maxLen} bytes. A first line whose label column
 * reads {@code label} is a header and is skipped by the caller ({@link #isHeader}).
 */
public final class AanRow implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    public final int label;
    public final String id1;
    public final String id2;
    public final int[] tokens1;
    public final int[] tokens2;

    private AanRow(int label, String id1, String id2, int[] tokens1, int[] tokens2) {
        this.label = label;
        this.id1 = id1;
        this.id2 = id2;
        this.tokens1 = tokens1;
        this.tokens2 = tokens2;
    }

    public static boolean isHeader(String line) {
        return line.startsWith("label\t");
    }

    /**
     * Parses one line.
     *
     * @throws BadRecordException naming {@code file}, the line number and the problem
     */
    public static AanRow parse(String line, String file, long lineNo, int maxLen) {
        String[] cols = line.split("\t", -1);
        if (cols.length != 5) {
            throw new BadRecordException(file, "line " + lineNo, "expected 5 tab-separated columns "
                    + "(label, id1, id2, text1, text2)", "found " + cols.length);
        }
        int label = parseLabel(cols[0].trim(), file, lineNo);
        return new AanRow(label, cols[1], cols[2],
                ByteTokens.encode(cols[3].getBytes(StandardCharsets.UTF_8), maxLen),
                ByteTokens.encode(cols[4].getBytes(StandardCharsets.UTF_8), maxLen));
    }

    private static int parseLabel(String s, String file, long lineNo) {
        switch (s) {
            case "0": case "0.0": return 0;
            case "1": case "1.0": return 1;
            default:
                throw new BadRecordException(file, "line " + lineNo, "label is not 0 or 1",
                        "label '" + abbreviate(s) + "'");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
