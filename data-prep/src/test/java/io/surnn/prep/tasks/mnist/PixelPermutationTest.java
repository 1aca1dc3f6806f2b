package io.surnn.prep.tasks.mnist;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class PixelPermutationTest {
    @Test
    void isAPermutationFixedBySeedAndDifferentAcrossSeeds() {
        int[] a = PixelPermutation.of(784, 42);
        assertArrayEquals(a, PixelPermutation.of(784, 42));
        assertFalse(Arrays.equals(a, PixelPermutation.of(784, 43)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 784; i++) {
            assertEquals(i, sorted[i]);
        }
        // Pinned: a change of algorithm would silently change every pMNIST dataset.
        assertEquals("[11, 216, 16, 595, 362]", Arrays.toString(Arrays.copyOf(a, 5)));
    }

    @Test
    void applyReadsPixelAtPermutedPosition() {
        int[] px = {10, 11, 12, 13};
        assertArrayEquals(new int[]{12, 10, 13, 11}, PixelPermutation.apply(px, new int[]{2, 0, 3, 1}));
        assertThrows(IllegalArgumentException.class, () -> PixelPermutation.apply(px, new int[]{0, 1}));
    }
}
