package io.surnn.prep.tasks.pathfinder;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

import static org.junit.jupiter.api.Assertions.*;

class PathfinderGeneratorTest {
    /**
     * Flood fill over inked pixels (value > 0) of the rendered image, allowed to jump gaps of one
     * empty pixel (Chebyshev radius 2), as the dashes of one snake are spaced: true if the pixel under
     * marker 1 reaches the pixel under marker 2.
     */
    static boolean markersConnected(PathfinderImage img) {
        int n = img.size;
        int start = pixelOf(img.marker1, n), goal = pixelOf(img.marker2, n);
        assertTrue(img.pixels[start] > 0 && img.pixels[goal] > 0, "markers are drawn");
        boolean[] seen = new boolean[n * n];
        Deque<Integer> todo = new ArrayDeque<>();
        todo.add(start);
        seen[start] = true;
        while (!todo.isEmpty()) {
            int p = todo.poll();
            if (p == goal) {
                return true;
            }
            int x = p % n, y = p / n;
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    int nx = x + dx, ny = y + dy, q = ny * n + nx;
                    if (nx >= 0 && ny >= 0 && nx < n && ny < n && !seen[q] && img.pixels[q] > 0) {
                        seen[q] = true;
                        todo.add(q);
                    }
                }
            }
        }
        return false;
    }

    private static int pixelOf(double[] m, int n) {
        return (int) Math.floor(m[1]) * n + (int) Math.floor(m[0]);
    }

    @Test
    void positivesConnectTheMarkersAndNegativesDoNot() {
        for (PathfinderParams.Difficulty d : PathfinderParams.Difficulty.values()) {
            PathfinderGenerator g = new PathfinderGenerator(new PathfinderParams(d));
            int positives = 0;
            for (int i = 0; i < 150; i++) {
                PathfinderImage img = g.generate(11, 0, i);
                positives += img.label;
                assertEquals(img.label == 1, markersConnected(img), d + " image " + i + " label " + img.label);
            }
            assertEquals(75, positives, d + ": one positive per index pair");
        }
    }

    @Test
    void imagesAreAPureFunctionOfSeedSplitAndIndex() {
        PathfinderGenerator g = new PathfinderGenerator(new PathfinderParams(PathfinderParams.Difficulty.HARD));
        PathfinderImage a = g.generate(5, 2, 17);
        PathfinderImage b = new PathfinderGenerator(new PathfinderParams(PathfinderParams.Difficulty.HARD)).generate(5, 2, 17);
        assertArrayEquals(a.pixels, b.pixels);
        assertFalse(Arrays.equals(a.pixels, g.generate(5, 2, 18).pixels));
        assertFalse(Arrays.equals(a.pixels, g.generate(5, 1, 17).pixels));
        assertFalse(Arrays.equals(a.pixels, g.generate(6, 2, 17).pixels));
    }

    @Test
    void imagesHoldTwoFullMarkersStrokesAndDistractors() {
        PathfinderParams p = new PathfinderParams(PathfinderParams.Difficulty.HARD);
        PathfinderGenerator g = new PathfinderGenerator(p);
        int distractors = 0;
        for (int i = 0; i < 50; i++) {
            PathfinderImage img = g.generate(1, 0, i);
            assertEquals(1024, img.pixels.length);
            long markerPx = Arrays.stream(img.pixels).filter(v -> v == 255).count();
            assertTrue(markerPx >= 2, "image " + i + ": marker centres are fully inked");
            long ink = Arrays.stream(img.pixels).filter(v -> v > 0).count();
            // two snakes of 14 paddles of length 2 cover far more than 2·14 pixels
            assertTrue(ink > 2 * p.contourLength * 2, "image " + i + " has only " + ink + " inked pixels");
            assertTrue(Arrays.stream(img.pixels).allMatch(v -> v >= 0 && v <= 255));
            distractors += img.distractorsPlaced;
        }
        assertTrue(distractors > 50 * p.numDistractors / 2, "distractors placed: " + distractors);
    }
}
