package io.surnn.prep.tasks.pathfinder;

/**
 * Rasterises paddles (thick line segments) and marker discs onto a supersampled grid of
 * {@code size·scale} pixels, the way the original generator draws at {@code antialias_scale} and
 * shrinks: a fine pixel is inked when its centre lies within the shape, the final pixel is the mean
 * of its {@code scale×scale} fine pixels. Coordinates are in final-image pixels, x = column, y = row.
 */
final class StrokeRaster {
    private final int size;
    private final int scale;
    private final int fineSize;
    /** Half width of a paddle on the fine grid, padded by a quarter fine pixel so no line has holes. */
    private final double halfWidth;

    StrokeRaster(int size, int scale, double thickness) {
        this.size = size;
        this.scale = scale;
        this.fineSize = size * scale;
        this.halfWidth = thickness / 2 + 0.25 / scale;
    }

    int fineSize() {
        return fineSize;
    }

    /** Fine pixel indices covered by segment a→b; also adds their final pixels to {@code coarse}. */
    int[] segment(double ax, double ay, double bx, double by, PixelMask coarse) {
        double r = halfWidth;
        return cover(Math.min(ax, bx) - r, Math.min(ay, by) - r, Math.max(ax, bx) + r, Math.max(ay, by) + r,
                coarse, (px, py) -> distanceToSegment(px, py, ax, ay, bx, by) <= r);
    }

    /** Fine pixel indices covered by the disc of radius {@code radius} at (cx, cy). */
    int[] disc(double cx, double cy, double radius, PixelMask coarse) {
        return cover(cx - radius, cy - radius, cx + radius, cy + radius, coarse,
                (px, py) -> (px - cx) * (px - cx) + (py - cy) * (py - cy) <= radius * radius);
    }

    private interface Inside {
        boolean test(double x, double y);
    }

    private int[] cover(double x0, double y0, double x1, double y1, PixelMask coarse, Inside inside) {
        int fx0 = Math.max(0, (int) Math.floor(x0 * scale));
        int fy0 = Math.max(0, (int) Math.floor(y0 * scale));
        int fx1 = Math.min(fineSize - 1, (int) Math.ceil(x1 * scale));
        int fy1 = Math.min(fineSize - 1, (int) Math.ceil(y1 * scale));
        int[] buf = new int[Math.max(0, (fx1 - fx0 + 1) * (fy1 - fy0 + 1))];
        int n = 0;
        for (int fy = fy0; fy <= fy1; fy++) {
            for (int fx = fx0; fx <= fx1; fx++) {
                if (inside.test((fx + 0.5) / scale, (fy + 0.5) / scale)) {
                    buf[n++] = fy * fineSize + fx;
                    if (coarse != null) {
                        coarse.add(fx / scale, fy / scale);
                    }
                }
            }
        }
        return java.util.Arrays.copyOf(buf, n);
    }

    static double distanceToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax, dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
        t = Math.max(0, Math.min(1, t));
        double qx = ax + t * dx - px, qy = ay + t * dy - py;
        return Math.sqrt(qx * qx + qy * qy);
    }

    /** Final image: mean of each scale×scale block of the fine canvas, rounded half up. */
    int[] downsample(int[] fine) {
        int[] out = new int[size * size];
        int area = scale * scale;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sum = 0;
                for (int dy = 0; dy < scale; dy++) {
                    int row = (y * scale + dy) * fineSize + x * scale;
                    for (int dx = 0; dx < scale; dx++) {
                        sum += fine[row + dx];
                    }
                }
                out[y * size + x] = (sum + area / 2) / area;
            }
        }
        return out;
    }
}
