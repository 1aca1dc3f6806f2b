package io.surnn.prep.tasks.wikitext;

import io.surnn.prep.core.TextLines;

import java.util.ArrayList;
import java.util.List;

/**
 * How a line becomes tokens.
 * <ul>
 *   <li>WORD: strict UTF-8, split on whitespace exactly like Python's {@code str.split()} (Unicode
 *       spaces included), then {@value #EOS} — the standard WikiText LM setup, which is what makes
 *       the published counts (empty lines give one {@code <eos>} each).</li>
 *   <li>CHAR: strict UTF-8, one token per Unicode code point, then {@value #EOS}.</li>
 *   <li>BYTE: the line's raw bytes (ids 0..255, no decoding, no vocabulary file), then byte 10
 *       ({@code \n}).</li>
 * </ul>
 */
public enum WikiTextLevel {
    WORD, CHAR, BYTE;

    public static final String EOS = "<eos>";
    public static final String UNK = "<unk>";

    /** Tokens of one line incl. the end-of-line token (WORD/CHAR); throws BadRecordException on bad UTF-8. */
    public List<String> tokens(byte[] line, String file, long lineNo) {
        String s = TextLines.utf8(line, file, lineNo);
        List<String> out = new ArrayList<>();
        if (this == WORD) {
            int i = 0, n = s.length();
            while (i < n) {
                while (i < n && isPySpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
                int start = i;
                while (i < n && !isPySpace(s.codePointAt(i))) i += Character.charCount(s.codePointAt(i));
                if (i > start) out.add(s.substring(start, i));
            }
        } else if (this == CHAR) {
            s.codePoints().forEach(cp -> out.add(new String(Character.toChars(cp))));
        } else {
            throw new IllegalStateException("BYTE level has no string tokens");
        }
        out.add(EOS);
        return out;
    }

    /** Number of tokens of one line (BYTE: no decoding). */
    public int count(byte[] line, String file, long lineNo) {
        return this == BYTE ? line.length + 1 : tokens(line, file, lineNo).size();
    }

    /** Python's str.isspace() for one code point: bidi class WS/B/S or category Zs. */
    static boolean isPySpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x85;
    }
}
