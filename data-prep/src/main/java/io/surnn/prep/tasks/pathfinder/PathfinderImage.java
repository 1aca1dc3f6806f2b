package io.surnn.prep.tasks.pathfinder;

/**
 * One generated Pathfinder image: 8-bit gray pixels row-major, its label (1 = the two markers lie on
 * the same snake) and, for inspection and tests, the centres of the two markers in pixel coordinates.
 */
public final class PathfinderImage {
    public final int size;
    public final int[] pixels;
    public final int label;
    public final double[] marker1;
    public final double[] marker2;
    public final int distractorsPlaced;

    PathfinderImage(int size, int[] pixels, int label, double[] marker1, double[] marker2, int distractorsPlaced) {
        this.size = size;
        this.pixels = pixels;
        this.label = label;
        this.marker1 = marker1;
        this.marker2 = marker2;
        this.distractorsPlaced = distractorsPlaced;
    }
}
