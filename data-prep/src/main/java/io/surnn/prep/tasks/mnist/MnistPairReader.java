package io.surnn.prep.tasks.mnist;

import java.io.Closeable;
import java.io.IOException;

/**
 * Walks an MNIST images IDX file and its labels IDX file in step, yielding (pixels, label).
 * Checks on open that the two agree on the item count, that images are 3-D unsigned bytes and labels
 * 1-D. Pixels are returned as ints 0..255, row-major; labels as read (the caller checks they are
 * digits, so a bad one can be skipped without losing the stream position).
 */
public final class MnistPairReader implements Closeable {
    public static final int NUM_CLASSES = 10;

    private final IdxReader images;
    private final IdxReader labels;
    private int next;

    public MnistPairReader(IdxReader images, IdxReader labels) throws IOException {
        this.images = images;
        this.labels = labels;
        if (images.dims().length != 3) {
            throw new IOException(images.file() + ": expected a 3-D images file [n, rows, cols], got dims "
                    + java.util.Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IOException(labels.file() + ": expected a 1-D labels file [n], got dims "
                    + java.util.Arrays.toString(labels.dims()));
        }
        if (images.count() != labels.count()) {
            throw new IOException(images.file() + " holds " + images.count() + " images but " + labels.file()
                    + " holds " + labels.count() + " labels");
        }
    }

    public int count() {
        return images.count();
    }

    public int pixelsPerImage() {
        return images.itemSize();
    }

    public boolean hasNext() {
        return images.hasNext();
    }

    /** Ordinal (0-based) of the record the next call to {@link #nextPixels} returns. */
    public int position() {
        return next;
    }

    /** Byte offset of the next label in the uncompressed labels file. */
    public long labelOffset() {
        return labels.offset();
    }

    public String labelsFile() {
        return labels.file();
    }

    /** Reads the next pair; {@code labelOut[0]} receives the label byte (0..255) as stored. */
    public int[] nextPixels(int[] labelOut) throws IOException {
        int label = labels.next()[0] & 0xff;
        byte[] raw = images.next();
        int[] px = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            px[i] = raw[i] & 0xff;
        }
        labelOut[0] = label;
        next++;
        return px;
    }

    @Override
    public void close() throws IOException {
        try {
            images.close();
        } finally {
            labels.close();
        }
    }
}
