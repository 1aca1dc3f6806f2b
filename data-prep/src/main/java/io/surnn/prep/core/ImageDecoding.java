package io.surnn.prep.core;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Decodes one PNG/JPEG (any format {@code javax.imageio} reads) of an expected size into 8-bit gray
 * pixels, row-major. Colour images go through {@link Grayscale} (LRA's formula); images already
 * stored as 8-bit gray keep their gray levels.
 */
public final class ImageDecoding {
    private ImageDecoding() {}

    static {
        ImageIO.setUseCache(false);
    }

    /** @throws IOException naming the file when the bytes are not an image or the size is wrong */
    public static int[] gray(byte[] bytes, String file, int width, int height) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException e) {
            throw new IOException(file + ": unreadable image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new IOException(file + ": unreadable image (no decoder recognises its " + bytes.length + " bytes)");
        }
        if (img.getWidth() != width || img.getHeight() != height) {
            throw new IOException(file + ": image is " + img.getWidth() + "x" + img.getHeight() + ", expected "
                    + width + "x" + height);
        }
        if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            int[] out = new int[width * height];
            img.getRaster().getPixels(0, 0, width, height, out);
            return out;
        }
        return Grayscale.ofArgb(img.getRGB(0, 0, width, height, null, 0, width));
    }
}
