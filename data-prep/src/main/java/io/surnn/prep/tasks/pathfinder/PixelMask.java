package io.surnn.prep.tasks.pathfinder;

import java.util.BitSet;

/** A set of pixels of a square image (row-major index y·size + x), with Chebyshev dilation. */
final class PixelMask {
    final int size;
    final BitSet bits;

    PixelMask(int size) {
        this.size = size;
        this.bits = new BitSet(size * size);
    }

    void add(int x, int y) {
        bits.set(y * size + x);
    }

    boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < size && y < size && bits.get(y * size + x);
    }

    void or(PixelMask other) {
        bits.or(other.bits);
    }

    boolean intersects(PixelMask other) {
        return bits.intersects(other.bits);
    }

    boolean isEmpty() {
        return bits.isEmpty();
    }

    /** Every pixel within Chebyshev distance {@code r} of a pixel of this mask. */
    PixelMask dilate(int r) {
        PixelMask out = new PixelMask(size);
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            int x = i % size, y = i / size;
            for (int dy = -r; dy <= r; dy++) {
                for (int dx = -r; dx <= r; dx++) {
                    int nx = x + dx, ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < size && ny < size) {
                        out.bits.set(ny * size + nx);
                    }
                }
            }
        }
        return out;
    }

    PixelMask copy() {
        PixelMask out = new PixelMask(size);
        out.bits.or(bits);
        return out;
    }
}
