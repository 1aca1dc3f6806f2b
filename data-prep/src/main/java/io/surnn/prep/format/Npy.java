package io.surnn.prep.format;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format for one array, read and written in plain Java: the Pathfinder reader
 * (metadata tables) and the driver's parameter export ({@code .npz} = a zip of {@code .npy}) share it.
 *
 * <p>Format: magic {@code \x93NUMPY}, major and minor version, a little-endian header length (2 bytes
 * in version 1, 4 in versions 2 and 3), an ASCII Python dict literal with {@code descr},
 * {@code fortran_order} and {@code shape}, padded with spaces and a newline so the data starts at a
 * multiple of 64 bytes, then the elements. Read: versions 1-3; dtypes {@code U} (UCS-4, trailing NULs
 * dropped), {@code S} (bytes, Latin-1), {@code i}/{@code u} (1, 2, 4 or 8 bytes) and {@code f} (4 or 8
 * bytes), either byte order, C or Fortran order (the flag is reported, the elements are left in file
 * order, so a caller that builds an n-d array passes the order on); object arrays (pickles) are refused,
 * and the data must be exactly as long as the shape says. Written: version 1, C order, little-endian
 * {@code <f4}/{@code <f8} of any shape and 2-D {@code <U n} string tables, byte for byte as
 * {@code np.save} writes them.
 *
 * <p>Errors are {@link IOException}s whose message starts with the {@code source} the caller names
 * (a file path, or {@code array 'layer0_embedding/W'}).
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** One array as read: dtype, shape, order flag and the elements in file order. */
    public static final class Array {
        private final String descr;
        private final long[] shape;
        private final boolean fortranOrder;
        private final Dtype dtype;
        private final ByteBuffer data;
        private final int size;

        private Array(String descr, long[] shape, boolean fortranOrder, Dtype dtype, ByteBuffer data, int size) {
            this.descr = descr;
            this.shape = shape;
            this.fortranOrder = fortranOrder;
            this.dtype = dtype;
            this.data = data;
            this.size = size;
        }

        /** NumPy's dtype string, e.g. {@code <f4}, {@code <U12}, {@code |S3}. */
        public String descr() {
            return descr;
        }

        public long[] shape() {
            return shape.clone();
        }

        /** True when the elements are stored column-major (NumPy's {@code fortran_order}). */
        public boolean fortranOrder() {
            return fortranOrder;
        }

        /** Number of elements (the product of the shape; 1 for a 0-d array). */
        public int size() {
            return size;
        }

        /** The elements of a 4-byte float array, in file order. */
        public float[] floats() {
            requireFloat(4);
            float[] v = new float[size];
            for (int i = 0; i < size; i++) {
                v[i] = data.getFloat(4 * i);
            }
            return v;
        }

        /** The elements of an 8-byte float array, in file order. */
        public double[] doubles() {
            requireFloat(8);
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                v[i] = data.getDouble(8 * i);
            }
            return v;
        }

        /**
         * Element {@code i} (file order) as text: strings as stored, integers in decimal, floats in
         * decimal without ".0" when they hold a whole number below 1e15.
         */
        public String text(int i) {
            if (i < 0 || i >= size) {
                throw new IndexOutOfBoundsException("element " + i + " of " + size);
            }
            return dtype.text(data, i * dtype.size);
        }

        private void requireFloat(int width) {
            if (dtype.kind != 'f' || dtype.width != width) {
                throw new IllegalStateException("dtype '" + descr + "' is not a " + (8 * width) + "-bit float");
            }
        }
    }

    /** Parses a whole {@code .npy} file; {@code source} starts every error message. */
    public static Array read(byte[] b, String source) throws IOException {
        if (b.length < 10 || !startsWithMagic(b)) {
            throw new IOException(source + ": not a .npy file (no \\x93NUMPY magic at byte offset 0)");
        }
        int major = b[6] & 0xFF;
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = le.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.length < 12) {
                throw new IOException(source + ": truncated .npy header");
            }
            headerLen = le.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new IOException(source + ": unsupported .npy version " + major);
        }
        if (start + headerLen > b.length) {
            throw new IOException(source + ": truncated .npy header (declares " + headerLen + " bytes)");
        }
        String header = new String(b, start, (int) headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, source, "descr");
        boolean fortran = "True".equals(group(FORTRAN, header, source, "fortran_order"));
        long[] shape = parseShape(group(SHAPE, header, source, "shape"), source);
        Dtype dt = Dtype.parse(descr, source);
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        long need = n * dt.size;
        if (n > Integer.MAX_VALUE || need > Integer.MAX_VALUE) {
            throw new IOException(source + ": array of " + n + " elements of " + descr + " is too large to read");
        }
        int dataStart = start + (int) headerLen;
        long have = b.length - dataStart;
        if (have != need) {
            throw new IOException(source + ": " + (have < need ? "truncated .npy data: " : ".npy data of ")
                    + have + " bytes, but shape " + shapeText(shape) + " of " + descr + " needs " + need);
        }
        ByteBuffer data = ByteBuffer.wrap(b, dataStart, (int) need).slice().order(dt.order);
        return new Array(descr, shape, fortran, dt, data, (int) n);
    }

    /** A C-ordered little-endian {@code <f4} array of {@code shape}, as np.save writes it (version 1). */
    public static byte[] writeFloats(float[] values, long[] shape) {
        checkCount(values.length, shape);
        ByteBuffer body = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            body.putFloat(v);
        }
        return file("<f4", shape, body.array());
    }

    /** A C-ordered little-endian {@code <f8} array of {@code shape}, as np.save writes it (version 1). */
    public static byte[] writeDoubles(double[] values, long[] shape) {
        checkCount(values.length, shape);
        ByteBuffer body = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            body.putDouble(v);
        }
        return file("<f8", shape, body.array());
    }

    /** A 2-D {@code <U n} array ({@code n} = the longest value in code points, at least 1), as np.save writes it. */
    public static byte[] writeStrings(String[][] table) {
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
        ByteBuffer body = ByteBuffer.allocate(4 * width * rows * cols).order(ByteOrder.LITTLE_ENDIAN);
        for (String[] r : table) {
            for (String v : r) {
                int end = body.position() + 4 * width;
                v.codePoints().forEach(body::putInt);
                while (body.position() < end) {
                    body.putInt(0);
                }
            }
        }
        return file("<U" + width, new long[] {rows, cols}, body.array());
    }

    /** Preamble, header dict padded to a multiple of 64 bytes, then {@code body}. */
    private static byte[] file(String descr, long[] shape, byte[] body) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        if (header.length() > 0xFFFF) {
            throw new IllegalArgumentException("a .npy version 1 header holds at most 65535 bytes, this one "
                    + header.length());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + body.length);
        out.writeBytes(MAGIC);
        out.write(1); // major version
        out.write(0); // minor version
        out.write(header.length() & 0xFF);
        out.write((header.length() >>> 8) & 0xFF);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body);
        return out.toByteArray();
    }

    /** Python's tuple notation: {@code ()}, {@code (3,)}, {@code (2, 3)}. */
    private static String shapeText(long[] shape) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(shape.length == 1 ? ",)" : ")").toString();
    }

    private static void checkCount(int values, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shapeText(shape));
            }
            n *= d;
        }
        if (n != values) {
            throw new IllegalArgumentException(values + " values for shape " + shapeText(shape) + " (" + n + " elements)");
        }
    }

    private static boolean startsWithMagic(byte[] b) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (b[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static String group(Pattern p, String header, String source, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(source + ": .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String dims, String source) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String part : dims.split(",")) {
            String s = part.trim();
            if (s.isEmpty()) {
                continue;
            }
            long d;
            try {
                d = Long.parseLong(s);
            } catch (NumberFormatException e) {
                d = -1;
            }
            if (d < 0) {
                throw new IOException(source + ": .npy header has a bad shape (" + dims + ")");
            }
            out.add(d);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** A dtype this class reads: kind, element width (characters or bytes), element size in bytes, byte order. */
    private static final class Dtype {
        final char kind;
        final int width;
        final int size;
        final ByteOrder order;

        private Dtype(char kind, int width, int size, ByteOrder order) {
            this.kind = kind;
            this.width = width;
            this.size = size;
            this.order = order;
        }

        static Dtype parse(String descr, String source) throws IOException {
            // a byte-order character, a kind letter, then the width (at most 8 digits, so 4·width fits an int)
            if (descr.length() >= 3 && descr.length() <= 10 && descr.substring(2).chars().allMatch(c -> c >= '0' && c <= '9')) {
                ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                char kind = descr.charAt(1);
                int n = Integer.parseInt(descr.substring(2));
                switch (kind) {
                    case 'U':
                        return new Dtype(kind, n, 4 * n, order);
                    case 'S':
                        return new Dtype(kind, n, n, order);
                    case 'i':
                    case 'u':
                        if (n == 1 || n == 2 || n == 4 || n == 8) {
                            return new Dtype(kind, n, n, order);
                        }
                        break;
                    case 'f':
                        if (n == 4 || n == 8) {
                            return new Dtype(kind, n, n, order);
                        }
                        break;
                    default:
                        break;
                }
            }
            throw new IOException(source + ": unsupported dtype '" + descr
                    + "' (readable: U, S, i, u, f; object/pickled arrays cannot be read)");
        }

        String text(ByteBuffer b, int at) {
            switch (kind) {
                case 'U': {
                    StringBuilder sb = new StringBuilder();
                    for (int k = 0; k < width; k++) {
                        int cp = b.getInt(at + 4 * k);
                        if (cp == 0) {
                            break;
                        }
                        sb.appendCodePoint(cp);
                    }
                    return sb.toString();
                }
                case 'S': {
                    int len = 0;
                    while (len < width && b.get(at + len) != 0) {
                        len++;
                    }
                    byte[] s = new byte[len];
                    for (int k = 0; k < len; k++) {
                        s[k] = b.get(at + k);
                    }
                    return new String(s, StandardCharsets.ISO_8859_1);
                }
                case 'f': {
                    double d = width == 4 ? b.getFloat(at) : b.getDouble(at);
                    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
                }
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
}
