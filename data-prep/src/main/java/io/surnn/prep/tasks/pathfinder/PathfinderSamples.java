package io.surnn.prep.tasks.pathfinder;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** PNG encoding of gray images, optionally enlarged (nearest neighbour) so a person can look at them. */
public final class PathfinderSamples {
    private PathfinderSamples() {}

    /** Writes {@code pixels} (side×side, 0..255) as an 8-bit gray PNG enlarged {@code scale} times. */
    public static void writePng(int[] pixels, int side, int scale, OutputStream out) throws IOException {
        BufferedImage img = new BufferedImage(side * scale, side * scale, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[side * scale];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                Arrays.fill(row, x * scale, (x + 1) * scale, pixels[y * side + x]);
            }
            for (int dy = 0; dy < scale; dy++) {
                img.getRaster().setPixels(0, y * scale + dy, side * scale, 1, row);
            }
        }
        if (!ImageIO.write(img, "png", out)) {
            throw new IOException("no PNG writer available");
        }
    }
}
