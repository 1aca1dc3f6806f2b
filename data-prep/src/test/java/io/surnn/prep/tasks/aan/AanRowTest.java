package io.surnn.prep.tasks.aan;

import io.surnn.prep.core.BadRecordException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AanRowTest {
    @Test
    void parsesFiveColumnsWithIntegerOrFloatLabels() {
        AanRow r = AanRow.parse("1.0\tid1\tid2\tab\tc", "f.tsv", 3, 4000);
        assertEquals(1, r.label);
        assertEquals("id1", r.id1);
        assertArrayEquals(new int[]{'a' + 1, 'b' + 1}, r.tokens1);
        assertArrayEquals(new int[]{'c' + 1}, r.tokens2);
        assertEquals(0, AanRow.parse("0\ta\tb\t\t", "f.tsv", 1, 4000).label);
        assertEquals(0, AanRow.parse("0\ta\tb\t\t", "f.tsv", 1, 4000).tokens1.length);
        assertTrue(AanRow.isHeader("label\tid1\tid2\ttext1\ttext2"));
    }

    @Test
    void badRowsNameFileLineAndStableReason() {
        BadRecordException cols = assertThrows(BadRecordException.class,
                () -> AanRow.parse("1\ta\tb\tc", "f.tsv", 7, 10));
        assertEquals("f.tsv", cols.file());
        assertEquals("line 7", cols.location());
        BadRecordException label = assertThrows(BadRecordException.class,
                () -> AanRow.parse("yes\ta\tb\tc\td", "f.tsv", 9, 10));
        assertEquals("label is not 0 or 1", label.reason());
        assertTrue(label.getMessage().contains("'yes'"), label.getMessage());
    }
}
