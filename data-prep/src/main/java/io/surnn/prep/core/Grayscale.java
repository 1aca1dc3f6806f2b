package io.surnn.prep.core;

/**
 * RGB → 8-bit gray exactly as LRA's Image task computes it.
 *
 * <p>LRA (lra_benchmarks/image/input_pipeline.py) feeds {@code tf.image.rgb_to_grayscale(image)} cast
 * to int32. For a uint8 image TensorFlow does, in float32:
 * <ol>
 *   <li>{@code convert_image_dtype(uint8 → float32)}: {@code c' = c · (1/255)};</li>
 *   <li>{@code gray = r'·0.2989 + g'·0.5870 + b'·0.1140} (ITU-R 601 weights, summing to 0.9999);</li>
 *   <li>{@code convert_image_dtype(float32 → uint8)}: multiply by {@code 255 + 0.5 = 255.5} and cast,
 *       i.e. truncate toward zero.</li>
 * </ol>
 * So gray = floor(255.5 · (0.2989 r + 0.5870 g + 0.1140 b) / 255), which is round-half-up of the
 * weighted sum up to the 0.5/255 scale factor. This class repeats those float32 steps in the same
 * order; the result is always in [0, 255].
 */
public final class Grayscale {
    private Grayscale() {}

    private static final float INV_255 = (float) (1.0 / 255.0);
    private static final float WR = 0.2989f;
    private static final float WG = 0.5870f;
    private static final float WB = 0.1140f;
    private static final float TO_UINT8 = 255.5f;

    /** Gray level of one pixel; r, g and b in [0, 255]. */
    public static int of(int r, int g, int b) {
        float rf = r * INV_255;
        float gf = g * INV_255;
        float bf = b * INV_255;
        float gray = rf * WR + gf * WG + bf * WB;
        return (int) (gray * TO_UINT8);
    }

    /** Gray image from a packed {@code 0xAARRGGBB} array (as {@code BufferedImage.getRGB} returns). */
    public static int[] ofArgb(int[] argb) {
        int[] out = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            out[i] = of((p >>> 16) & 0xff, (p >>> 8) & 0xff, p & 0xff);
        }
        return out;
    }

    /**
     * Gray image from CIFAR's planar record layout: {@code planes[0..n)} red, {@code [n..2n)} green,
     * {@code [2n..3n)} blue, starting at {@code from}.
     */
    public static int[] ofPlanes(byte[] planes, int from, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = of(planes[from + i] & 0xff, planes[from + n + i] & 0xff, planes[from + 2 * n + i] & 0xff);
        }
        return out;
    }
}
