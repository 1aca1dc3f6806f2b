package io.surnn.prep.format;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class NpyTest {
    @Test
    void writtenStringTableReadsBack() throws IOException {
        String[][] t = {{"imgs/0", "sample_0.png", "0", "1", "1.0", "14"}, {"imgs/0", "sample_1.png", "1", "0", "1.0", "14"}};
        byte[] bytes = Npy.writeStrings(t);
        // numpy's layout: header padded so the data starts at a multiple of 64 bytes
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        Npy.Array a = Npy.read(bytes, "m.npy");
        assertArrayEquals(new long[] {2, 6}, a.shape());
        assertEquals("sample_1.png", a.text(1 * 6 + 1));
        assertEquals("0", a.text(1 * 6 + 3));
        assertEquals("<U12", a.descr());
    }

    @Test
    void readsNumpyInt64ArrayBytes() throws IOException {
        // np.save of np.arange(6).reshape(2, 3): header from numpy 1.x, int64 little-endian data
        String dict = "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }";
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) header.length(), 0});
        b.write(header.getBytes());
        for (long v = 0; v < 6; v++) {
            for (int k = 0; k < 8; k++) b.write((int) (v >>> (8 * k)));
        }
        Npy.Array a = Npy.read(b.toByteArray(), "i.npy");
        assertEquals("5", a.text(1 * 3 + 2));
        assertEquals("1", a.text(0 * 3 + 1));
    }

    @Test
    void badFilesNameTheFile() {
        IOException e = assertThrows(IOException.class, () -> Npy.read("hello world".getBytes(), "x.npy"));
        assertTrue(e.getMessage().startsWith("x.npy"), e.getMessage());
        byte[] whole = Npy.writeStrings(new String[][]{{"a", "b"}});
        byte[] cut = Arrays.copyOf(whole, whole.length - 3);
        IOException t = assertThrows(IOException.class, () -> Npy.read(cut, "cut.npy"));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
        byte[] longer = Arrays.copyOf(whole, whole.length + 4);
        IOException x = assertThrows(IOException.class, () -> Npy.read(longer, "long.npy"));
        assertTrue(x.getMessage().startsWith("long.npy: .npy data of 12 bytes, but shape (1, 2) of <U1 needs 8"),
                x.getMessage());
        byte[] object = file(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]);
        IOException o = assertThrows(IOException.class, () -> Npy.read(object, "o.npy"));
        assertTrue(o.getMessage().startsWith("o.npy: unsupported dtype '|O'"), o.getMessage());
    }

    @Test
    void floatArraysAreWrittenAsNumpyDoesAndReadBack() throws IOException {
        byte[] f = Npy.writeFloats(new float[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3});
        int headerLen = (f[8] & 0xFF) | ((f[9] & 0xFF) << 8);
        assertEquals(0, (10 + headerLen) % 64);
        assertEquals(1, f[6]);
        assertEquals(0, f[7]);
        String header = new String(f, 10, headerLen, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", header.trim());
        assertTrue(header.endsWith(" \n"), header);
        assertEquals(10 + headerLen + 24, f.length);
        Npy.Array a = Npy.read(f, "f");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, a.floats());
        assertFalse(a.fortranOrder());
        assertThrows(IllegalStateException.class, a::doubles);

        Npy.Array d = Npy.read(Npy.writeDoubles(new double[] {0.1, -2.5, Double.MAX_VALUE}, new long[] {3}), "d");
        assertEquals("<f8", d.descr());
        assertArrayEquals(new long[] {3}, d.shape());
        assertArrayEquals(new double[] {0.1, -2.5, Double.MAX_VALUE}, d.doubles());
        assertEquals("-2.5", d.text(1));
        assertEquals("0.1", d.text(0));

        byte[] scalar = Npy.writeDoubles(new double[] {7}, new long[0]);
        String h = new String(scalar, 10, (scalar[8] & 0xFF) | ((scalar[9] & 0xFF) << 8), StandardCharsets.US_ASCII);
        assertTrue(h.startsWith("{'descr': '<f8', 'fortran_order': False, 'shape': (), }"), h);
        assertEquals(1, Npy.read(scalar, "s").size());
        assertTrue(new String(Npy.writeFloats(new float[3], new long[] {3}), StandardCharsets.US_ASCII)
                .contains("'shape': (3,), }"), "a 1-d shape keeps Python's trailing comma");
        assertThrows(IllegalArgumentException.class, () -> Npy.writeFloats(new float[5], new long[] {2, 3}));
    }

    @Test
    void readsVersion2HeadersFortranFlagAndBigEndianData() throws IOException {
        String dict = "{'descr': '>i2', 'fortran_order': True, 'shape': (2, 2), }";
        byte[] body = {0, 1, 0, 3, 0, 2, (byte) 0xFF, (byte) 0xFC}; // column-major [[1, 2], [3, -4]]
        Npy.Array a = Npy.read(file(2, dict, body), "v2.npy");
        assertTrue(a.fortranOrder());
        assertArrayEquals(new long[] {2, 2}, a.shape());
        assertEquals(Arrays.asList("1", "3", "2", "-4"),
                Arrays.asList(a.text(0), a.text(1), a.text(2), a.text(3)), "elements stay in file order");
    }

    /** A .npy file of version {@code major} with {@code dict} as its header (padded to 64 bytes). */
    private static byte[] file(int major, String dict, byte[] body) {
        int pre = major == 1 ? 10 : 12;
        String header = dict + " ".repeat((64 - (pre + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(pre + header.length() + body.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        return b.put(header.getBytes(StandardCharsets.US_ASCII)).put(body).array();
    }
}
