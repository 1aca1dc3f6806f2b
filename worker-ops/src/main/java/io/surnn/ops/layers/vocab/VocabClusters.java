package io.surnn.ops.layers.vocab;

import java.util.Arrays;

/**
 * How a vocabulary is split into frequency clusters, and every size that follows from it.
 *
 * <p>Word ids are assumed to be in descending frequency order (data-prep writes vocabularies that way),
 * so clusters are id ranges: the head is {@code [0, c1)}, tail cluster j (1..k) is
 * {@code [c_j, c_{j+1})} with {@code c_{k+1} = vocab}. Cluster j works in width
 * {@code dim(j) = max(1, width / shrink^j)}: the head in the full model width, rarer words in narrower
 * spaces. No cut-offs is the plain, full softmax (one cluster).
 *
 * <p>Parameter layouts (all row-major; the names are the parameter keys):
 * <ul>
 *   <li>embedding: {@code E0 [n0, D]}, then per tail j: {@code Ej [n_j, d_j]}, {@code Pj [d_j, D]};
 *   <li>output, untied: {@code W0 [n0, D]}, {@code C [k, D]} (cluster rows of the head, k &gt; 0 only),
 *       {@code b0 [1, n0 + k]}, then per tail j: {@code Pj [d_j, D]}, {@code Ej [n_j, d_j]}, {@code bj [1, n_j]};
 *   <li>output, tied: {@code C}, {@code b0}, {@code b1..bk}; W0 is the embedding's E0, and each tail uses
 *       the embedding's Ej and Pj.
 * </ul>
 */
public final class VocabClusters {
    private final int vocab;
    private final int width;
    private final int shrink;
    private final int[] cutoffs;

    public VocabClusters(int vocab, int width, int[] cutoffs, int shrink) {
        this.vocab = vocab;
        this.width = width;
        this.shrink = shrink;
        this.cutoffs = cutoffs == null ? new int[0] : cutoffs.clone();
        String why = problem(vocab, this.cutoffs);
        if (why != null) throw new IllegalArgumentException(why);
        if (width < 1) throw new IllegalArgumentException("width must be >= 1, got " + width);
        if (shrink < 1) throw new IllegalArgumentException("tail shrink factor must be >= 1, got " + shrink);
    }

    /**
     * Null when {@code cutoffs} are valid for {@code vocab} (strictly increasing, each in [1, vocab)),
     * else the reason, naming the offending value.
     */
    public static String problem(int vocab, int[] cutoffs) {
        if (vocab < 1) return "vocabulary size must be >= 1, got " + vocab;
        int prev = 0;
        for (int c : cutoffs) {
            if (c <= prev || c >= vocab) {
                return "cut-offs must increase strictly within [1, " + vocab + ") (the vocabulary size), got "
                        + Arrays.toString(cutoffs) + " (" + c + " is out of place)";
            }
            prev = c;
        }
        return null;
    }

    /**
     * Checks a vocabulary layer's settings; throws IllegalArgumentException starting with {@code name}.
     * Shared by both vocabulary layer configurations.
     */
    static void check(String name, long vocab, long width, int[] cutoffs, int shrink) {
        if (vocab < 1 || width < 1) {
            throw new IllegalArgumentException(name + ": vocabulary and width must be >= 1, got " + vocab + ", " + width);
        }
        String why = problem((int) vocab, cutoffs);
        if (why != null) throw new IllegalArgumentException(name + ": " + why);
        if (shrink < 1) throw new IllegalArgumentException(name + ": tail shrink factor must be >= 1, got " + shrink);
    }

    /**
     * Default cut-offs from the vocabulary size alone: {@code [V/16, V/4]} rounded to hundreds above 10K
     * words (33,278 → [2,100, 8,300], close to the usual [2,000, 10,000] for WikiText-2; 267,735 →
     * [16,700, 66,900], close to [20,000, 60,000] for WikiText-103), duplicates dropped; none below 64 words.
     */
    public static int[] autoCutoffs(int vocab) {
        if (vocab < 64) return new int[0];
        int a = vocab / 16;
        int b = vocab / 4;
        if (vocab >= 10_000) {
            a = Math.round(a / 100f) * 100;
            b = Math.round(b / 100f) * 100;
        }
        return b > a ? new int[] {a, b} : new int[] {a};
    }

    public int vocab() { return vocab; }
    public int width() { return width; }
    public int shrink() { return shrink; }
    public int[] cutoffs() { return cutoffs.clone(); }
    /** Number of tail clusters k (0 = full softmax). */
    public int tails() { return cutoffs.length; }
    /** First word id of cluster j (0 = head). */
    public int start(int j) { return j == 0 ? 0 : cutoffs[j - 1]; }
    /** Number of words in cluster j. */
    public int size(int j) { return (j < cutoffs.length ? cutoffs[j] : vocab) - start(j); }
    /** Width cluster j works in. */
    public int dim(int j) {
        long d = width;
        for (int i = 0; i < j; i++) d /= shrink;
        return (int) Math.max(1, d);
    }
    /** Outputs of the head softmax: its words plus one entry per tail cluster. */
    public int headSize() { return size(0) + cutoffs.length; }

    /** The cluster of a word id (0 = head). */
    public int clusterOf(int word) {
        int j = 0;
        while (j < cutoffs.length && word >= cutoffs[j]) j++;
        return j;
    }

    /** Parameters of the embedding: E0 plus Ej and Pj per tail. */
    public long embeddingParams() {
        long n = (long) size(0) * width;
        for (int j = 1; j <= tails(); j++) n += (long) size(j) * dim(j) + (long) dim(j) * width;
        return n;
    }

    /** Offset of Ej (j = 0: E0) inside the embedding's parameters. */
    public long embeddingOffsetE(int j) {
        long off = (long) size(0) * width;
        if (j == 0) return 0;
        for (int i = 1; i < j; i++) off += (long) size(i) * dim(i) + (long) dim(i) * width;
        return off;
    }

    /** Offset of Pj (j &gt;= 1) inside the embedding's parameters. */
    public long embeddingOffsetP(int j) {
        return embeddingOffsetE(j) + (long) size(j) * dim(j);
    }

    /** Parameters the output layer owns: all of them untied; cluster rows and biases when tied. */
    public long outputParams(boolean tied) {
        long n = (long) tails() * width + headSize();
        for (int j = 1; j <= tails(); j++) n += size(j);
        if (!tied) {
            n += (long) size(0) * width;
            for (int j = 1; j <= tails(); j++) n += (long) dim(j) * width + (long) size(j) * dim(j);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("vocab " + vocab + ", width " + width + ": head " + size(0) + " words");
        for (int j = 1; j <= tails(); j++) s.append(", tail ").append(j).append(' ').append(size(j)).append(" words x ").append(dim(j));
        return s.toString();
    }
}
