package io.surnn.prep.tasks.pathfinder;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of the Pathfinder generator, in pixels of the final image. Defaults are LRA's
 * Pathfinder-32 settings (PATHFINDER_SPEC.md): window 32, padding 1, paddle length 2, margin 1,
 * thickness 0.5, marker radius 1.5, antialias scale 2, seed distance 7, continuity 1.0, paddle
 * contrast 0.75, distractor length = contour length / 3, distractor count = 20 / distractor length.
 * The three difficulties differ only in the contour length: easy 6, intermediate 9, hard 14.
 */
public final class PathfinderParams implements Serializable {
    public enum Difficulty {
        EASY(6), INTERMEDIATE(9), HARD(14);

        public final int contourLength;

        Difficulty(int contourLength) {
            this.contourLength = contourLength;
        }

        public static Difficulty parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("difficulty '" + s + "' is not one of easy, intermediate, hard");
            }
        }
    }

    public final int size = 32;
    public final int antialiasScale = 2;
    public final double padding = 1;
    public final double paddleLength = 2;
    public final double paddleMargin = 1;
    public final double paddleThickness = 0.5;
    public final double markerRadius = 1.5;
    public final double seedDistance = 7;
    /** Maximum turn between successive paddles = continuity × 45° (our reading of 'continuity'). */
    public final double continuity = 1.0;
    public final double paddleContrast = 0.75;
    public final int contourLength;
    public final int distractorLength;
    public final int numDistractors;
    /** Empty pixels guaranteed between two different snakes (and their markers). */
    public final int separation = 2;
    public final Difficulty difficulty;

    public PathfinderParams(Difficulty difficulty) {
        this.difficulty = difficulty;
        this.contourLength = difficulty.contourLength;
        this.distractorLength = Math.max(1, contourLength / 3);
        this.numDistractors = 20 / distractorLength;
    }

    public double maxTurnRadians() {
        return continuity * Math.PI / 4;
    }

    /** The settings as manifest options. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("difficulty", difficulty.name().toLowerCase(Locale.ROOT));
        m.put("window", Integer.toString(size));
        m.put("contour_length", Integer.toString(contourLength));
        m.put("distractor_length", Integer.toString(distractorLength));
        m.put("num_distractor_snakes", Integer.toString(numDistractors));
        m.put("paddle_length", Double.toString(paddleLength));
        m.put("paddle_margin", Double.toString(paddleMargin));
        m.put("paddle_thickness", Double.toString(paddleThickness));
        m.put("marker_radius", Double.toString(markerRadius));
        m.put("antialias_scale", Integer.toString(antialiasScale));
        m.put("continuity", Double.toString(continuity));
        m.put("seed_distance", Double.toString(seedDistance));
        m.put("paddle_contrast", Double.toString(paddleContrast));
        m.put("min_gap_px", Integer.toString(separation));
        return m;
    }
}
