package io.surnn.prep.tasks.pathfinder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A 1-D or 2-D NumPy {@code .npy} array read as strings: enough for Pathfinder's metadata files,
 * which {@code np.save} writes from lists of mixed values (so numpy stores them as a fixed-width
 * unicode array, dtype {@code <U n}).
 *
 * <p>Format (NEP 1): magic {@code \x93NUMPY}, version bytes, a little-endian header length (2 bytes in
 * version 1, 4 in versions 2 and 3), then a Python dict literal with {@code descr}, {@code fortran_order}
 * and {@code shape}, padded so the data starts at a multiple of 64 bytes; then the data. Read: dtypes
 * {@code U} (UCS-4, trailing NULs dropped), {@code S} (bytes, Latin-1), {@code i}/{@code u} (1–8 bytes)
 * and {@code f} (4 or 8 bytes), either byte order, C order only; object arrays (pickles) are refused.
 * Written: 2-D {@code <U n} arrays (version 1), as the test fixtures need.
 */
public final class NpyArray {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public final int rows;
    public final int cols;
    private final String[] values;

    private NpyArray(int rows, int cols, String[] values) {
        this.rows = rows;
        this.cols = cols;
        this.values = values;
    }

    public String get(int row, int col) {
        return values[row * cols + col];
    }

    /** Parses a whole .npy file; {@code file} names it in errors. */
    public static NpyArray parse(byte[] b, String file) throws IOException {
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new IOException(file + ": not a .npy file (no \\x93NUMPY magic at byte offset 0)");
        }
        int major = b[6];
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = bb.getInt(8);
            start = 12;
        } else {
            throw new IOException(file + ": unsupported .npy version " + major);
        }
        if (start + headerLen > b.length) {
            throw new IOException(file + ": truncated .npy header (declares " + headerLen + " bytes)");
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, file, "descr");
        if (group(FORTRAN, header, file, "fortran_order").equals("True")) {
            throw new IOException(file + ": Fortran-order arrays are not supported");
        }
        int[] shape = Arrays.stream(group(SHAPE, header, file, "shape").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        if (shape.length < 1 || shape.length > 2) {
            throw new IOException(file + ": expected a 1-D or 2-D array, shape " + Arrays.toString(shape));
        }
        int rows = shape[0];
        int cols = shape.length == 2 ? shape[1] : 1;
        Dtype dt = Dtype.parse(descr, file);
        long need = (long) rows * cols * dt.size;
        int data = start + headerLen;
        if (data + need > b.length) {
            throw new IOException(file + ": truncated .npy data: " + (b.length - data) + " bytes for " + rows + "x"
                    + cols + " elements of " + descr + " (" + need + " bytes)");
        }
        ByteBuffer body = ByteBuffer.wrap(b, data, (int) need).slice().order(dt.order);
        String[] values = new String[rows * cols];
        for (int i = 0; i < values.length; i++) {
            values[i] = dt.read(body, i * dt.size);
        }
        return new NpyArray(rows, cols, values);
    }

    private static String group(Pattern p, String header, String file, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static final class Dtype {
        final char kind;
        final int size;
        final int width;
        final ByteOrder order;

        Dtype(char kind, int width, int size, ByteOrder order) {
            this.kind = kind;
            this.width = width;
            this.size = size;
            this.order = order;
        }

        static Dtype parse(String descr, String file) throws IOException {
            if (descr.length() < 3) {
                throw new IOException(file + ": unsupported dtype '" + descr + "'");
            }
            ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            char kind = descr.charAt(1);
            int n = Integer.parseInt(descr.substring(2));
            switch (kind) {
                case 'U': return new Dtype(kind, n, 4 * n, order);
                case 'S': return new Dtype(kind, n, n, order);
                case 'i': case 'u':
                    if (n == 1 || n == 2 || n == 4 || n == 8) return new Dtype(kind, n, n, order);
                    break;
                case 'f':
                    if (n == 4 || n == 8) return new Dtype(kind, n, n, order);
                    break;
                default:
                    break;
            }
            throw new IOException(file + ": unsupported dtype '" + descr + "' (object/pickled arrays cannot be read)");
        }

        String read(ByteBuffer b, int at) {
            switch (kind) {
                case 'U': {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < width; k++) {
                        int cp = b.getInt(at + 4 * k);
                        if (cp == 0) break;
                        sb.appendCodePoint(cp);
                    }
                    return sb.toString();
                }
                case 'S': {
                    int len = 0;
                    while (len < width && b.get(at + len) != 0) len++;
                    byte[] s = new byte[len];
                    for (int k = 0; k < len; k++) s[k] = b.get(at + k);
                    return new String(s, StandardCharsets.ISO_8859_1);
                }
                case 'f':
                    double d = width == 4 ? b.getFloat(at) : b.getDouble(at);
                    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
                default: {
                    long v;
                    switch (width) {
                        case 1: v = kind == 'u' ? b.get(at) & 0xff : b.get(at); break;
                        case 2: v = kind == 'u' ? b.getShort(at) & 0xffff : b.getShort(at); break;
                        case 4: v = kind == 'u' ? b.getInt(at) & 0xffffffffL : b.getInt(at); break;
                        default: v = b.getLong(at); break;
                    }
                    return Long.toString(v);
                }
            }
        }
    }

    /** Writes a 2-D {@code <U n} array ({@code n} = longest value), as {@code np.save} would. */
    public static void writeStrings(String[][] table, OutputStream out) throws IOException {
        int rows = table.length;
        int cols = rows == 0 ? 0 : table[0].length;
        int width = 1;
        for (String[] r : table) {
            if (r.length != cols) {
                throw new IllegalArgumentException("ragged table: row of " + r.length + " values, expected " + cols);
            }
            for (String v : r) {
                width = Math.max(width, v.codePointCount(0, v.length()));
            }
        }
        String dict = String.format(Locale.ROOT, "{'descr': '<U%d', 'fortran_order': False, 'shape': (%d, %d), }",
                width, rows, cols);
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(MAGIC);
        b.write(1);
        b.write(0);
        b.write(header.length() & 0xff);
        b.write(header.length() >>> 8);
        b.write(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer cell = ByteBuffer.allocate(4 * width).order(ByteOrder.LITTLE_ENDIAN);
        for (String[] r : table) {
            for (String v : r) {
                cell.clear();
                v.codePoints().forEach(cell::putInt);
                while (cell.hasRemaining()) cell.putInt(0);
                b.write(cell.array());
            }
        }
        out.write(b.toByteArray());
    }
}
