package io.surnn.prep.tasks.pathfinder;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws Pathfinder images after the snakes2 generator (PATHFINDER_SPEC.md), rebuilt from its
 * description rather than its code.
 *
 * <p>An image holds two target snakes (contour_length paddles each, starts ≥ seed_distance apart),
 * then up to num_distractor_snakes short snakes, then two markers: on both ends of snake A (label 1)
 * or on the start of A and the end of B (label 0). A snake is a chain of paddles (segments of
 * paddle_length) separated by paddle_margin; each paddle turns from the last by at most
 * continuity·45°. Where the original keeps strokes apart with dilation masks, so do we, with one
 * checkable rule: a new snake's inked pixels (markers included) stay at Chebyshev distance ≥ 3 from
 * every other snake's (two empty pixels between), while successive paddles of one snake are within
 * Chebyshev distance 2 of each other. Hence "connected when gaps of one pixel are bridged" is exactly
 * "same snake", which tests check by flood fill on the rendered pixels. A snake that cannot be
 * placed is retried from a new start; distractors that cannot be placed are dropped.
 *
 * <p>Every image depends only on (seed, split, index) through {@link #imageRandom}, so the output does
 * not depend on how the work is spread over partitions. Labels are balanced per pair of indices:
 * indices 2j and 2j+1 get one positive and one negative, the order drawn from the pair's random.
 */
public final class PathfinderGenerator {
    private static final int SNAKE_ATTEMPTS = 40;
    private static final int PADDLE_ATTEMPTS = 24;
    private static final int IMAGE_ATTEMPTS = 200;
    private static final int LINK_DISTANCE = 2;

    private final PathfinderParams p;
    private final StrokeRaster raster;
    private final int strokeValue;

    public PathfinderGenerator(PathfinderParams params) {
        this.p = params;
        this.raster = new StrokeRaster(p.size, p.antialiasScale, p.paddleThickness);
        this.strokeValue = (int) Math.round(255 * p.paddleContrast);
    }

    public PathfinderParams params() {
        return p;
    }

    /** The random source of image {@code index} of split number {@code split} (0 train, 1 valid, 2 test). */
    public static SplittableRandom imageRandom(long seed, int split, long index) {
        return new SplittableRandom(mix(mix(mix(seed) + split) + index));
    }

    /** Label of image {@code index}: exactly one of 2j, 2j+1 is positive. */
    public static int labelOf(long seed, int split, long index) {
        long pair = index >>> 1;
        int firstPositive = (int) (mix(mix(mix(seed ^ 0x5bd1e995L) + split) + pair) >>> 63);
        return (int) ((index & 1) ^ firstPositive ^ 1);
    }

    /** Image {@code index} of split {@code split}: a pure function of its arguments. */
    public PathfinderImage generate(long seed, int split, long index) {
        return generate(imageRandom(seed, split, index), labelOf(seed, split, index));
    }

    public PathfinderImage generate(SplittableRandom rnd, int label) {
        for (int attempt = 0; attempt < IMAGE_ATTEMPTS; attempt++) {
            PathfinderImage img = tryImage(rnd, label);
            if (img != null) {
                return img;
            }
        }
        throw new IllegalStateException("could not place two target snakes of " + p.contourLength
                + " paddles in " + IMAGE_ATTEMPTS + " attempts; the settings leave too little room");
    }

    private PathfinderImage tryImage(SplittableRandom rnd, int label) {
        Snake a = grow(rnd, p.contourLength, new PixelMask(p.size), true, null);
        if (a == null) {
            return null;
        }
        Snake b = grow(rnd, p.contourLength, a.footprint.dilate(p.separation), true, a.start());
        if (b == null) {
            return null;
        }
        PixelMask occupied = a.footprint.copy();
        occupied.or(b.footprint);
        List<Snake> snakes = new ArrayList<>(List.of(a, b));
        for (int d = 0; d < p.numDistractors; d++) {
            Snake s = grow(rnd, p.distractorLength, occupied.dilate(p.separation), false, null);
            if (s != null) {
                occupied.or(s.footprint);
                snakes.add(s);
            }
        }
        double[] m1 = a.start();
        double[] m2 = label == 1 ? a.end() : b.end();
        return new PathfinderImage(p.size, render(snakes, m1, m2), label, m1, m2, snakes.size() - 2);
    }

    private int[] render(List<Snake> snakes, double[] m1, double[] m2) {
        int[] fine = new int[raster.fineSize() * raster.fineSize()];
        for (Snake s : snakes) {
            for (int[] paddle : s.paddlePixels) {
                for (int i : paddle) {
                    fine[i] = Math.max(fine[i], strokeValue);
                }
            }
        }
        for (double[] m : List.of(m1, m2)) {
            for (int i : raster.disc(m[0], m[1], p.markerRadius, null)) {
                fine[i] = 255;
            }
        }
        return raster.downsample(fine);
    }

    /** A chain of paddles; {@code footprint} = its inked pixels, plus both marker discs for targets. */
    private static final class Snake {
        final List<double[]> points = new ArrayList<>();
        final List<int[]> paddlePixels = new ArrayList<>();
        final List<PixelMask> paddleMasks = new ArrayList<>();
        PixelMask footprint;

        double[] start() {
            return points.get(0);
        }

        double[] end() {
            return points.get(points.size() - 1);
        }
    }

    private Snake grow(SplittableRandom rnd, int paddles, PixelMask blocked, boolean markers, double[] farFrom) {
        double lo = p.padding, hi = p.size - p.padding;
        for (int attempt = 0; attempt < SNAKE_ATTEMPTS; attempt++) {
            double[] start = {lo + rnd.nextDouble() * (hi - lo), lo + rnd.nextDouble() * (hi - lo)};
            if (farFrom != null && Math.hypot(start[0] - farFrom[0], start[1] - farFrom[1]) < p.seedDistance) {
                continue;
            }
            PixelMask footprint = new PixelMask(p.size);
            if (markers && !markerFits(start, blocked, footprint)) {
                continue;
            }
            Snake s = chain(rnd, paddles, start, blocked);
            if (s == null || (markers && !markerFits(s.end(), blocked, footprint))) {
                continue;
            }
            for (PixelMask m : s.paddleMasks) {
                footprint.or(m);
            }
            s.footprint = footprint;
            return s;
        }
        return null;
    }

    private boolean markerFits(double[] at, PixelMask blocked, PixelMask footprint) {
        PixelMask disc = new PixelMask(p.size);
        raster.disc(at[0], at[1], p.markerRadius, disc);
        if (disc.intersects(blocked)) {
            return false;
        }
        footprint.or(disc);
        return true;
    }

    private Snake chain(SplittableRandom rnd, int paddles, double[] start, PixelMask blocked) {
        Snake s = new Snake();
        s.points.add(start);
        double theta = rnd.nextDouble() * 2 * Math.PI;
        double[] tip = start;
        PixelMask older = new PixelMask(p.size);
        for (int k = 0; k < paddles; k++) {
            if (k >= 2) {
                older.or(s.paddleMasks.get(k - 2));
            }
            PixelMask olderNear = older.dilate(1);
            boolean placed = false;
            for (int t = 0; t < PADDLE_ATTEMPTS && !placed; t++) {
                double th = k == 0 ? (t == 0 ? theta : rnd.nextDouble() * 2 * Math.PI)
                        : theta + (rnd.nextDouble() * 2 - 1) * p.maxTurnRadians();
                double gap = k == 0 ? 0 : p.paddleMargin;
                double ax = tip[0] + gap * Math.cos(th), ay = tip[1] + gap * Math.sin(th);
                double bx = ax + p.paddleLength * Math.cos(th), by = ay + p.paddleLength * Math.sin(th);
                if (!inside(ax, ay) || !inside(bx, by)) {
                    continue;
                }
                PixelMask mask = new PixelMask(p.size);
                int[] fine = raster.segment(ax, ay, bx, by, mask);
                if (mask.intersects(blocked) || mask.intersects(olderNear)
                        || (k > 0 && !mask.intersects(s.paddleMasks.get(k - 1).dilate(LINK_DISTANCE)))) {
                    continue;
                }
                s.paddlePixels.add(fine);
                s.paddleMasks.add(mask);
                tip = new double[]{bx, by};
                theta = th;
                placed = true;
            }
            if (!placed) {
                return null;
            }
        }
        s.points.add(tip);
        return s;
    }

    private boolean inside(double x, double y) {
        return x >= p.padding && y >= p.padding && x <= p.size - p.padding && y <= p.size - p.padding;
    }

    /** SplitMix64's finaliser: a bijective mix of 64 bits. */
    static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
