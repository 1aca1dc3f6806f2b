package io.surnn.ops.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One array in NumPy's {@code .npy} format, version 1.0.
 *
 * <p>Design note: the format is a 10-byte preamble (magic {@code \x93NUMPY}, version, header length),
 * an ASCII Python-dict header ({@code descr}, {@code fortran_order}, {@code shape}) padded to a
 * multiple of 64 bytes, then the raw little-endian values. We write it ourselves rather than through
 * ND4J's npy helpers so that the byte layout (C order, little-endian, float32/float64 only) is fixed by
 * this class, independent of the array's own ordering or the ND4J version. Reading accepts what NumPy
 * writes for {@code <f4}/{@code <f8} in either order (Fortran-ordered files are transposed back).
 */
public final class NpyFormat {
    private NpyFormat() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Serialises {@code array} (FLOAT or DOUBLE) as a C-ordered little-endian .npy file. */
    public static byte[] write(INDArray array) {
        String descr = descrOf(array.dataType());
        long[] shape = array.shape();
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        if (shape.length > 1) {
            dims.setLength(dims.length() - 2); // "(3, 4)"; a 1-d shape keeps the trailing comma: "(3,)"
        } else if (shape.length == 1) {
            dims.setLength(dims.length() - 1);
        }
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";

        INDArray c = array.dup('c');
        int width = array.dataType() == DataType.DOUBLE ? 8 : 4;
        ByteBuffer body = ByteBuffer.allocate((int) (c.length() * width)).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 8) {
            for (double v : c.data().asDouble()) body.putDouble(v);
        } else {
            for (float v : c.data().asFloat()) body.putFloat(v);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + body.capacity() + 10);
        out.writeBytes(MAGIC);
        out.write(1); // major version
        out.write(0); // minor version
        out.write(header.length() & 0xFF);
        out.write((header.length() >>> 8) & 0xFF);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(body.array());
        return out.toByteArray();
    }

    /**
     * Parses a .npy file. {@code name} only labels error messages.
     *
     * @throws IllegalArgumentException if the bytes are not a float32/float64 .npy array
     */
    public static INDArray read(String name, byte[] bytes) {
        if (bytes.length < 10 || !startsWithMagic(bytes)) {
            throw new IllegalArgumentException("array '" + name + "': not a .npy file (bad magic bytes)");
        }
        int major = bytes[6] & 0xFF;
        int headerLen;
        int headerStart;
        if (major == 1) {
            headerLen = (bytes[8] & 0xFF) | ((bytes[9] & 0xFF) << 8);
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = ByteBuffer.wrap(bytes, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            headerStart = 12;
        } else {
            throw new IllegalArgumentException("array '" + name + "': unsupported .npy version " + major);
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.US_ASCII);
        String descr = group(DESCR, header, name, "descr");
        boolean fortran = "True".equals(group(FORTRAN, header, name, "fortran_order"));
        long[] shape = parseShape(group(SHAPE, header, name, "shape"));
        DataType type = typeOf(name, descr);

        long n = 1;
        for (long d : shape) n *= d;
        int width = type == DataType.DOUBLE ? 8 : 4;
        int bodyStart = headerStart + headerLen;
        if (bytes.length - bodyStart != n * width) {
            throw new IllegalArgumentException("array '" + name + "': header says " + n + " values of "
                    + width + " bytes but the file holds " + (bytes.length - bodyStart) + " data bytes");
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, bodyStart, (int) (n * width)).order(ByteOrder.LITTLE_ENDIAN);
        char order = fortran ? 'f' : 'c';
        if (type == DataType.DOUBLE) {
            double[] v = new double[(int) n];
            body.asDoubleBuffer().get(v);
            return Nd4j.create(v, shape, order);
        }
        float[] v = new float[(int) n];
        body.asFloatBuffer().get(v);
        return Nd4j.create(v, shape, order);
    }

    /** NumPy's dtype string for a parameter data type; only float32/float64 travel. */
    static String descrOf(DataType type) {
        switch (type) {
            case FLOAT: return "<f4";
            case DOUBLE: return "<f8";
            default:
                throw new IllegalArgumentException("data type " + type
                        + " cannot be exported to .npy; convert the network to FLOAT or DOUBLE first");
        }
    }

    private static DataType typeOf(String name, String descr) {
        switch (descr) {
            case "<f4": return DataType.FLOAT;
            case "<f8": return DataType.DOUBLE;
            default:
                throw new IllegalArgumentException("array '" + name + "': dtype '" + descr
                        + "' is not supported (expected '<f4' or '<f8'; save with numpy.float32 or numpy.float64)");
        }
    }

    private static boolean startsWithMagic(byte[] bytes) {
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) return false;
        }
        return true;
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("array '" + name + "': .npy header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }

    private static long[] parseShape(String dims) {
        List<Long> out = new ArrayList<>();
        for (String part : dims.split(",")) {
            String s = part.trim();
            if (!s.isEmpty()) out.add(Long.parseLong(s));
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
