package io.surnn.prep.tasks.pathfinder;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.*;

class NpyArrayTest {
    @Test
    void writtenStringTableReadsBack() throws IOException {
        String[][] t = {{"imgs/0", "sample_0.png", "0", "1", "1.0", "14"}, {"imgs/0", "sample_1.png", "1", "0", "1.0", "14"}};
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        NpyArray.writeStrings(t, b);
        byte[] bytes = b.toByteArray();
        // numpy's layout: header padded so the data starts at a multiple of 64 bytes
        int headerLen = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
        assertEquals(0, (10 + headerLen) % 64);
        NpyArray a = NpyArray.parse(bytes, "m.npy");
        assertEquals(2, a.rows);
        assertEquals(6, a.cols);
        assertEquals("sample_1.png", a.get(1, 1));
        assertEquals("0", a.get(1, 3));
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
        NpyArray a = NpyArray.parse(b.toByteArray(), "i.npy");
        assertEquals("5", a.get(1, 2));
        assertEquals("1", a.get(0, 1));
    }

    @Test
    void badFilesNameTheFile() {
        IOException e = assertThrows(IOException.class, () -> NpyArray.parse("hello world".getBytes(), "x.npy"));
        assertTrue(e.getMessage().startsWith("x.npy"), e.getMessage());
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        assertDoesNotThrow(() -> NpyArray.writeStrings(new String[][]{{"a", "b"}}, b));
        byte[] cut = Arrays.copyOf(b.toByteArray(), b.size() - 3);
        IOException t = assertThrows(IOException.class, () -> NpyArray.parse(cut, "cut.npy"));
        assertTrue(t.getMessage().contains("truncated"), t.getMessage());
    }
}
