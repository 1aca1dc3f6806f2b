package io.surnn.prep.core;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class GrayscaleTest {
    @Test
    void matchesTensorFlowRgbToGrayscaleThenUint8Cast() {
        // floor(255.5/255 · (0.2989 r + 0.5870 g + 0.1140 b)), in float32:
        assertEquals(0, Grayscale.of(0, 0, 0));
        assertEquals(255, Grayscale.of(255, 255, 255)); // 254.97 · 1.00196 = 255.47
        assertEquals(76, Grayscale.of(255, 0, 0));      // 76.22 → 76.37
        assertEquals(29, Grayscale.of(0, 0, 255));      // 29.07 → 29.13
        assertEquals(124, Grayscale.of(10, 200, 30));   // 123.81 → 124.05
        // Not rounding of the weighted sum: 0.5870·255 = 149.685 would round to 150; TF gives 149.98 → 149.
        assertEquals(149, Grayscale.of(0, 255, 0));
        assertEquals(128, Grayscale.of(128, 128, 128));
    }

    @Test
    void planarRecordUsesRedThenGreenThenBluePlanes() {
        byte[] planes = new byte[1 + 3 * 2];
        planes[1] = (byte) 255; // R of pixel 0
        planes[1 + 2 + 1] = (byte) 255; // G of pixel 1
        assertArrayEquals(new int[]{76, 149}, Grayscale.ofPlanes(planes, 1, 2));
    }
}
