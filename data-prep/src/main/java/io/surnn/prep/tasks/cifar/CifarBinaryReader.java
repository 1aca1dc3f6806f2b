package io.surnn.prep.tasks.cifar;

import io.surnn.prep.core.Grayscale;
import io.surnn.prep.core.TruncatedInputException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams records of a CIFAR-10 binary batch ({@code data_batch_1.bin} … {@code test_batch.bin}).
 *
 * <p>Each record is 3,073 bytes: one label byte (0..9), then 1,024 red, 1,024 green and 1,024 blue
 * bytes, each plane row-major 32×32. There is no header; an official batch holds 10,000 records.
 * A file that ends inside a record fails with the file and the byte offset where the record began.
 */
public final class CifarBinaryReader implements Closeable {
    public static final int PIXELS = 1024;
    public static final int RECORD_BYTES = 1 + 3 * PIXELS;

    private final InputStream in;
    private final String file;
    private final byte[] buf = new byte[RECORD_BYTES];
    private long offset;
    private int records;
    private boolean eof;

    public CifarBinaryReader(InputStream in, String file) {
        this.in = new BufferedInputStream(in, 1 << 16);
        this.file = file;
    }

    /** Byte offset of the record the next call to {@link #next} reads. */
    public long offset() {
        return offset;
    }

    /** Records read so far. */
    public int records() {
        return records;
    }

    /**
     * Reads the next record into a (gray pixels, label) pair: returns null at a clean end of file.
     * {@code labelOut[0]} receives the label byte as read (may be ≥ 10; the caller decides).
     */
    public int[] next(int[] labelOut) throws IOException {
        if (eof) {
            return null;
        }
        int got = 0;
        while (got < RECORD_BYTES) {
            int n = in.read(buf, got, RECORD_BYTES - got);
            if (n < 0) {
                break;
            }
            got += n;
        }
        if (got == 0) {
            eof = true;
            return null;
        }
        if (got < RECORD_BYTES) {
            throw new TruncatedInputException(file, offset, "record " + records + ": " + got + " of "
                    + RECORD_BYTES + " bytes present");
        }
        labelOut[0] = buf[0] & 0xff;
        int[] gray = Grayscale.ofPlanes(buf, 1, PIXELS);
        offset += RECORD_BYTES;
        records++;
        return gray;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
