package io.surnn.prep.tasks.copy;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One Selective Copying example (Mamba; the "variable" copying task of the S4 code base; see
 * docs/data-prep.md, "selective-copy"). Token 0 is noise, A-1 the marker,
 * data tokens are uniform in 1..A-2. M data tokens sit at M distinct positions chosen uniformly
 * among the first L+M; the input is that length-(L+M) sequence followed by M markers (length
 * L+2M); the targets are the data tokens in order of appearance.
 */
public final class SelectiveCopyGenerator implements Serializable {
    private static final long serialVersionUID = 1L;
    public final int length;   // L: noise positions
    public final int vocab;    // A: alphabet incl. noise and marker
    public final int tokens;   // M: data tokens to copy

    public SelectiveCopyGenerator(int length, int vocab, int tokens) {
        if (vocab < 3) throw new IllegalArgumentException("--vocab must be >= 3 (noise, data, marker), not " + vocab);
        if (tokens < 1) throw new IllegalArgumentException("--tokens must be >= 1, not " + tokens);
        if (length < 0) throw new IllegalArgumentException("--length must be >= 0, not " + length);
        if ((long) length + 2L * tokens > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("--length " + length + " is too large");
        }
        this.length = length;
        this.vocab = vocab;
        this.tokens = tokens;
    }

    public int marker() { return vocab - 1; }

    public int sequenceLength() { return length + 2 * tokens; }

    /** {inputs, targets} for the record seeded with {@code seed}. */
    public int[][] generate(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int span = length + tokens;
        // M distinct positions in [0, span): Floyd's sampling, then sorted
        int[] pos = new int[tokens];
        java.util.HashSet<Integer> chosen = new java.util.HashSet<>();
        int k = 0;
        for (int j = span - tokens; j < span; j++) {
            int t = rng.nextInt(j + 1);
            int pick = chosen.add(t) ? t : j;
            if (pick == j) chosen.add(j);
            pos[k++] = pick;
        }
        Arrays.sort(pos);
        int[] x = new int[sequenceLength()];
        int[] y = new int[tokens];
        for (int i = 0; i < tokens; i++) {
            y[i] = rng.nextInt(1, vocab - 1);  // data tokens 1..A-2
            x[pos[i]] = y[i];
        }
        Arrays.fill(x, span, x.length, marker());
        return new int[][]{x, y};
    }
}
