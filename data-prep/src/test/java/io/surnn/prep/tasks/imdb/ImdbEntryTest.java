package io.surnn.prep.tasks.imdb;

import io.surnn.prep.core.ByteTokens;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ImdbEntryTest {
    @Test
    void reviewPathsAreRecognisedUnderAnyPrefix() {
        assertTrue(ImdbEntry.isReviewPath("aclImdb/train/pos/0_9.txt"));
        assertTrue(ImdbEntry.isReviewPath("test/neg/12_1.txt"));
        assertFalse(ImdbEntry.isReviewPath("aclImdb/train/unsup/0_0.txt"));
        assertFalse(ImdbEntry.isReviewPath("aclImdb/train/urls_pos.txt"));
        assertFalse(ImdbEntry.isReviewPath("aclImdb/README"));
        ImdbEntry e = ImdbEntry.parse("x/aclImdb/test/pos/123_10.txt");
        assertEquals("test", e.split);
        assertEquals(1, e.label);
        assertEquals(123, e.id);
        assertEquals(10, e.rating);
        assertEquals("train", ImdbEntry.splitOf("aclImdb/train/neg/4_2.txt"));
    }

    @Test
    void badNamesAndRatingsThatContradictTheFolderAreRejectedNamingThePath() {
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> ImdbEntry.parse("train/pos/review.txt"));
        assertTrue(name.getMessage().contains("train/pos/review.txt"), name.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImdbEntry.parse("train/pos/1_4.txt"));
        assertThrows(IllegalArgumentException.class, () -> ImdbEntry.parse("train/neg/1_5.txt"));
        assertThrows(IllegalArgumentException.class, () -> ImdbEntry.parse("train/neg/1_0.txt"));
        assertEquals(0, ImdbEntry.parse("train/neg/1_4.txt").label);
    }

    @Test
    void byteTokensShiftByOneAndTruncateToTheFirstBytes() {
        byte[] text = {'a', (byte) 0xC3, (byte) 0xA9, 0, (byte) 0xFF};
        assertArrayEquals(new int[]{98, 196, 170}, ByteTokens.encode(text, 3));
        assertArrayEquals(new int[]{98, 196, 170, 1, 256}, ByteTokens.encode(text, 10));
        assertArrayEquals(text, ByteTokens.decode(ByteTokens.encode(text, 10)));
        assertThrows(IllegalArgumentException.class, () -> ByteTokens.decode(new int[]{0}));
    }
}
