package io.surnn.driver.generate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Text ↔ ids the way data-prep's WikiText task tokenised the corpus: {@code word} splits on
 * whitespace, {@code char} takes code points, {@code byte} takes UTF-8 bytes (ids 0–255, no
 * vocabulary). {@code <eos>} stands for a line end; words missing from the vocabulary become
 * {@code <unk>}.
 */
public final class TextCodec {
    public static final String EOS = "<eos>";
    public static final String UNK = "<unk>";

    public enum Level { WORD, CHAR, BYTE }

    private final Level level;
    private final List<String> vocab;
    private final Map<String, Integer> ids = new HashMap<>();

    public TextCodec(Level level, List<String> vocab) {
        this.level = level;
        this.vocab = vocab;
        for (int i = 0; i < vocab.size(); i++) {
            ids.putIfAbsent(vocab.get(i), i);
        }
        if (level != Level.BYTE && vocab.isEmpty()) {
            throw new IllegalArgumentException("a " + level.name().toLowerCase() + "-level model needs its vocab.txt");
        }
    }

    /** The level from a manifest's {@code options.level} (absent: word). */
    public static Level level(String option) {
        if (option == null) {
            return Level.WORD;
        }
        try {
            return Level.valueOf(option.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("manifest option level=" + option + ": expected word, char or byte");
        }
    }

    public int[] encode(String text) {
        List<Integer> out = new ArrayList<>();
        if (level == Level.BYTE) {
            for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
                out.add(b & 0xFF);
            }
        } else if (level == Level.CHAR) {
            text.codePoints().forEach(cp -> out.add(id(cp == '\n' ? EOS : new String(Character.toChars(cp)))));
        } else {
            for (String w : text.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(id(w));
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--prompt: no tokens in '" + text + "'");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private int id(String token) {
        Integer id = ids.get(token);
        if (id == null) {
            id = ids.get(UNK);
        }
        if (id == null) {
            throw new IllegalArgumentException("--prompt: token '" + token + "' is not in the vocabulary (and it has no " + UNK + ")");
        }
        return id;
    }

    /** The text of one generated id, including the separator that goes before it. */
    public String piece(int id, boolean first) {
        if (level == Level.BYTE) {
            return new String(new byte[] {(byte) id}, StandardCharsets.ISO_8859_1);
        }
        String t = id >= 0 && id < vocab.size() ? vocab.get(id) : UNK;
        if (EOS.equals(t)) {
            return "\n";
        }
        return level == Level.WORD && !first ? " " + t : t;
    }
}
