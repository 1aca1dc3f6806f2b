package io.surnn.driver.checkpoint;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The text of a {@code SHA256SUMS} file, as {@code sha256sum} writes and checks it: one line
 * {@code <64 hex digits><two spaces><file name>} per file. Checkpoints and model directories list
 * their files in one, written last.
 */
public final class Sha256Sums {
    public static final String FILE = "SHA256SUMS";

    private Sha256Sums() {}

    /** The file's text for {@code sums} (file name → hex SHA-256), in map order. */
    public static String format(Map<String, String> sums) {
        StringBuilder text = new StringBuilder();
        sums.forEach((f, h) -> text.append(h).append("  ").append(f).append('\n'));
        return text.toString();
    }

    /**
     * File name → hex SHA-256, in file order.
     *
     * @throws IOException naming {@code where} and the first malformed line
     */
    public static Map<String, String> parse(String text, String where) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] parts = line.split(" {2}", 2);
            if (parts.length != 2 || !parts[0].matches("[0-9a-fA-F]{64}")) {
                throw new IOException(where + " has a malformed line: " + line);
            }
            sums.put(parts[1].trim(), parts[0].toLowerCase(java.util.Locale.ROOT));
        }
        return sums;
    }
}
