package io.surnn.prep.tasks.mnist;

import io.surnn.prep.core.TruncatedInputException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Streams the items of one IDX file (LeCun's MNIST container), plain or gzip-compressed.
 *
 * <p>Layout: a 4-byte magic {@code 0x00 0x00 <type> <ndims>} (type 0x08 = unsigned byte, the only
 * one MNIST uses), then {@code ndims} big-endian int32 dimension sizes, then the data in C order.
 * The first dimension counts items; an item is the product of the others (784 bytes for a 28×28
 * image, 1 byte for a label). Gzip is recognised by its magic bytes, not by the file name.
 * Errors name the file and the byte offset in the uncompressed IDX data.
 */
public final class IdxReader implements Closeable {
    private final String file;
    private final DataInputStream in;
    private final int[] dims;
    private final int itemSize;
    private long offset;
    private int read;

    private IdxReader(String file, DataInputStream in, int[] dims, int itemSize, long offset) {
        this.file = file;
        this.in = in;
        this.dims = dims;
        this.itemSize = itemSize;
        this.offset = offset;
    }

    /** Opens {@code raw} (owned by the reader from now on) and parses the header. */
    public static IdxReader open(InputStream raw, String file) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        InputStream body = (b0 == 0x1f && b1 == 0x8b)
                ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
        DataInputStream in = new DataInputStream(body);
        try {
            int magic = readHeaderInt(in, file, 0);
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != 0x08) {
                throw new IOException(file + ": not an unsigned-byte IDX file (magic 0x"
                        + String.format("%08x", magic) + " at byte offset 0; expected 0x000008NN)");
            }
            int ndims = magic & 0xff;
            if (ndims < 1 || ndims > 4) {
                throw new IOException(file + ": IDX dimension count " + ndims + " at byte offset 3 is not in [1, 4]");
            }
            int[] dims = new int[ndims];
            long item = 1;
            for (int d = 0; d < ndims; d++) {
                dims[d] = readHeaderInt(in, file, 4 + 4L * d);
                if (dims[d] < 0) {
                    throw new IOException(file + ": negative IDX dimension " + dims[d] + " at byte offset " + (4 + 4L * d));
                }
                if (d > 0) {
                    item *= dims[d];
                }
            }
            if (item > (1 << 24)) {
                throw new IOException(file + ": IDX item of " + item + " bytes is too large");
            }
            return new IdxReader(file, in, dims, (int) item, 4 + 4L * ndims);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static int readHeaderInt(DataInputStream in, String file, long offset) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IOException(file + ": truncated IDX header at byte offset " + offset, e);
        }
    }

    public int[] dims() {
        return dims.clone();
    }

    /** Number of items the header announces. */
    public int count() {
        return dims[0];
    }

    /** Bytes per item (product of all dimensions but the first). */
    public int itemSize() {
        return itemSize;
    }

    public boolean hasNext() {
        return read < dims[0];
    }

    /** Reads the next item's bytes; a {@link TruncatedInputException} if the data stop inside it. */
    public byte[] next() throws IOException {
        if (!hasNext()) {
            throw new IllegalStateException(file + ": all " + dims[0] + " items already read");
        }
        byte[] item = new byte[itemSize];
        int got = 0;
        while (got < itemSize) {
            int n = in.read(item, got, itemSize - got);
            if (n < 0) {
                throw new TruncatedInputException(file, offset, "item " + read + " of " + dims[0] + " needs "
                        + itemSize + " bytes, " + got + " present");
            }
            got += n;
        }
        offset += itemSize;
        read++;
        return item;
    }

    /** Byte offset in the uncompressed data of the next item. */
    public long offset() {
        return offset;
    }

    public String file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    @Override
    public String toString() {
        return file + " " + Arrays.toString(dims);
    }
}
