package io.surnn.prep.core;

/**
 * Byte-level token ids shared by the text tasks (IMDB, AAN).
 *
 * <p>Byte {@code b} (0..255) becomes id {@code b + 1}; id {@link #PAD_ID} = 0 is reserved for padding,
 * so {@link #VOCAB_SIZE} = 257. This is what LRA's pipelines do with TFDS's ByteTextEncoder, which
 * keeps id 0 for padding and shifts every byte by one. Bytes are taken as they are in the file
 * (UTF-8 for these corpora), never decoded and re-encoded. Truncation keeps the first
 * {@code maxLen} bytes, as LRA's {@code x[:max_length]} does.
 */
public final class ByteTokens {
    private ByteTokens() {}

    public static final int PAD_ID = 0;
    public static final int VOCAB_SIZE = 257;

    /** Ids of the first {@code min(length, maxLen)} bytes of {@code bytes[from..from+length)}. */
    public static int[] encode(byte[] bytes, int from, int length, int maxLen) {
        int n = Math.min(length, maxLen);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (bytes[from + i] & 0xff) + 1;
        }
        return ids;
    }

    public static int[] encode(byte[] bytes, int maxLen) {
        return encode(bytes, 0, bytes.length, maxLen);
    }

    /** Inverse of {@link #encode} for display and tests (ids must be in [1, 256]). */
    public static byte[] decode(int[] ids) {
        byte[] out = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 1 || ids[i] > 256) {
                throw new IllegalArgumentException("id " + ids[i] + " at position " + i + " is not a byte id (1..256)");
            }
            out[i] = (byte) (ids[i] - 1);
        }
        return out;
    }
}
