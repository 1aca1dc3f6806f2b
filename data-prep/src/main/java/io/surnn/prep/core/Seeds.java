package io.surnn.prep.core;

/**
 * Derives independent, reproducible seeds from a job seed and coordinates (split, partition,
 * record): the SplitMix64 finaliser applied along the parts. Generated tasks seed each record or
 * generator partition from its coordinates, never from the executor it runs on, so output does not
 * depend on the cluster.
 */
public final class Seeds {
    private Seeds() {}

    public static long mix(long seed, long... parts) {
        long h = fmix(seed ^ 0x9E3779B97F4A7C15L);
        for (long p : parts) h = fmix(h + 0x9E3779B97F4A7C15L * (p + 1));
        return h;
    }

    private static long fmix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
