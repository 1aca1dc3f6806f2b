package io.surnn.prep.tasks.cifar;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a file of a CIFAR-10 input tree is: an image of the image-folder layout
 * ({@code [prefix/]train|test/<class>/<name>.png|jpg|jpeg}), a binary batch
 * ({@code [prefix/]data_batch_<k>.bin} → train, {@code test_batch.bin} → test), or nothing we read.
 */
public final class CifarEntry {
    private static final Pattern IMAGE = Pattern.compile("(?:^|.*/)(train|test)/([^/]+)/([^/]+)\\.(png|jpe?g)$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BATCH = Pattern.compile("(?:^|.*/)(data_batch_\\d+|test_batch)\\.bin$");
    private static final Pattern DIGITS = Pattern.compile("\\d+");

    private CifarEntry() {}

    public static boolean isWanted(String path) {
        return IMAGE.matcher(path).matches() || BATCH.matcher(path).matches();
    }

    public static boolean isBatch(String path) {
        return BATCH.matcher(path).matches();
    }

    /** "train" or "test" of a batch file name. */
    public static String batchSplit(String path) {
        Matcher m = BATCH.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException(path + " is not a CIFAR-10 batch file");
        }
        return m.group(1).equals("test_batch") ? "test" : "train";
    }

    /** Batch file name without folders, e.g. "data_batch_3.bin" (its sort key). */
    public static String batchName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Parsed image path: split, class folder name and a sort key for the file name. */
    public static final class Image {
        public final String split;
        public final String className;
        public final String nameKey;

        Image(String split, String className, String nameKey) {
            this.split = split;
            this.className = className;
            this.nameKey = nameKey;
        }
    }

    /** Parses an image path; null if it is not one. Numeric file names sort by value (2.png before 10.png). */
    public static Image image(String path) {
        Matcher m = IMAGE.matcher(path);
        if (!m.matches()) {
            return null;
        }
        String stem = m.group(3);
        String key = DIGITS.matcher(stem).matches() && stem.length() <= 12
                ? String.format(Locale.ROOT, "%012d", Long.parseLong(stem)) : stem;
        return new Image(m.group(1).toLowerCase(Locale.ROOT), m.group(2), key + "." + m.group(4));
    }
}
