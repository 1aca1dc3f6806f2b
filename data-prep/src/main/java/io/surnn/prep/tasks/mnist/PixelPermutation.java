package io.surnn.prep.tasks.mnist;

import java.util.SplittableRandom;

/**
 * The fixed pixel order of permuted sequential MNIST (pMNIST).
 *
 * <p>Definition (so that any implementation can reproduce it): start from the identity
 * {@code p = [0, 1, …, n-1]}; with {@code r = new java.util.SplittableRandom(seed)}, for
 * {@code i = n-1} down to {@code 1}: {@code j = r.nextInt(i + 1)}, swap {@code p[i]} and {@code p[j]}
 * (Fisher–Yates). The permuted sequence is {@code out[t] = pixels[p[t]]}: step t shows pixel p[t]
 * of the row-major image. The same permutation is applied to every image of every split.
 */
public final class PixelPermutation {
    private PixelPermutation() {}

    public static int[] of(int n, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("permutation length must be ≥ 1, got " + n);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code out[t] = pixels[perm[t]]}. */
    public static int[] apply(int[] pixels, int[] perm) {
        if (pixels.length != perm.length) {
            throw new IllegalArgumentException("image has " + pixels.length + " pixels, permutation " + perm.length);
        }
        int[] out = new int[pixels.length];
        for (int t = 0; t < perm.length; t++) {
            out[t] = pixels[perm[t]];
        }
        return out;
    }
}
