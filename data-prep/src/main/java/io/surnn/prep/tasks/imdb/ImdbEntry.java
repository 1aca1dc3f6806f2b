package io.surnn.prep.tasks.imdb;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one review file sits in the aclImdb layout: {@code [prefix/]train|test/pos|neg/<id>_<rating>.txt}.
 * Anything else (README, imdb.vocab, urls_*.txt, train/unsup/…) is not a review and is ignored.
 * The sort key (label, id) gives each split a stable order: all negatives by id, then positives.
 */
public final class ImdbEntry implements Serializable {
    private static final Pattern REVIEW = Pattern.compile("(?:^|.*/)(train|test)/(pos|neg)/([^/]+)$");
    private static final Pattern NAME = Pattern.compile("(\\d+)_(\\d+)\\.txt");

    public final String split;
    public final int label;
    public final int id;
    public final int rating;

    private ImdbEntry(String split, int label, int id, int rating) {
        this.split = split;
        this.label = label;
        this.id = id;
        this.rating = rating;
    }

    /** True if {@code path} lies in a train|test/pos|neg folder (a review or a malformed one). */
    public static boolean isReviewPath(String path) {
        return REVIEW.matcher(path).matches();
    }

    /** "train" or "test" for a review path ({@link #isReviewPath} must hold). */
    public static String splitOf(String path) {
        Matcher m = REVIEW.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException(path + ": not under train|test/pos|neg/");
        }
        return m.group(1);
    }

    /**
     * Parses a review path; {@link #isReviewPath} must hold.
     *
     * @throws IllegalArgumentException naming the path if the file name is not {@code <id>_<rating>.txt}
     */
    public static ImdbEntry parse(String path) {
        Matcher m = REVIEW.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException(path + ": not under train|test/pos|neg/");
        }
        Matcher n = NAME.matcher(m.group(3));
        if (!n.matches()) {
            throw new IllegalArgumentException(path + ": review file name '" + m.group(3)
                    + "' is not <id>_<rating>.txt");
        }
        int label = m.group(2).equals("pos") ? 1 : 0;
        int rating = Integer.parseInt(n.group(2));
        if (label == 1 ? rating < 7 || rating > 10 : rating < 1 || rating > 4) {
            throw new IllegalArgumentException(path + ": rating " + rating + " does not fit folder " + m.group(2)
                    + " (neg 1..4, pos 7..10)");
        }
        return new ImdbEntry(m.group(1), label, Integer.parseInt(n.group(1)), rating);
    }

    /** Orders a split: label first, then id. */
    public long sortKey() {
        return ((long) label << 32) | (id & 0xffffffffL);
    }
}
