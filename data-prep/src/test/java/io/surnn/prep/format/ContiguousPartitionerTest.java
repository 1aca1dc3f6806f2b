package io.surnn.prep.format;

import io.surnn.prep.format.ContiguousPartitioner.Rounding;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ContiguousPartitionerTest {

    @Test
    void roundingDownKeepsRangesInOrderAndBalanced() {
        ContiguousPartitioner p = new ContiguousPartitioner(0, 10, 3, Rounding.DOWN, "batch");
        int[] expected = {0, 0, 0, 1, 1, 1, 2, 2, 2, 2};
        for (long k = 0; k < 10; k++) {
            assertEquals(expected[(int) k], p.getPartition(k), "batch " + k);
        }
        ContiguousPartitioner many = new ContiguousPartitioner(0, 2, 5, Rounding.DOWN, "batch");
        assertEquals(2, many.getPartition(0L));
        assertEquals(4, many.getPartition(1L));
    }

    @Test
    void roundingUpIsTheDatasetShardRule() {
        // docs/dataset-format.md: shard k holds [ceil(k·n/N), ceil((k+1)·n/N)); 10 records in 3 shards: 4, 3, 3
        ContiguousPartitioner p = new ContiguousPartitioner(0, 10, 3, Rounding.UP, "record");
        int[] expected = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
        for (long k = 0; k < 10; k++) {
            assertEquals(expected[(int) k], p.getPartition(k), "record " + k);
        }
        assertArrayEquals(new long[] {0, 4, 7, 10}, new long[] {p.start(0), p.start(1), p.start(2), p.start(3)});
    }

    @Test
    void everyKeyLiesInTheRangeThatStartSaysForBothRoundings() {
        for (Rounding r : Rounding.values()) {
            for (long n = 1; n <= 23; n++) {
                for (int parts = 1; parts <= 9; parts++) {
                    ContiguousPartitioner p = new ContiguousPartitioner(5, n, parts, r, "key");
                    assertEquals(5, p.start(0));
                    assertEquals(5 + n, p.start(parts));
                    for (long k = 5; k < 5 + n; k++) {
                        int q = p.getPartition(k);
                        assertTrue(p.start(q) <= k && k < p.start(q + 1), r + " n=" + n + " parts=" + parts + " key " + k);
                    }
                    for (int q = 0; q < parts; q++) {
                        long size = p.start(q + 1) - p.start(q);
                        assertTrue(size == n / parts || size == n / parts + 1, "near-equal ranges");
                    }
                }
            }
        }
    }

    @Test
    void blocksHaveOneSizeAndTheLastTakesTheOverflow() {
        ContiguousPartitioner b = ContiguousPartitioner.blocks(7, 2, 3, "batch");
        assertEquals(3, b.numPartitions());
        int[] expected = {0, 0, 1, 1, 2, 2, 2, 2, 2};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], b.getPartition(7L + i), "batch " + (7 + i));
        }
        for (int size = 1; size <= 5; size++) {
            for (int parts = 1; parts <= 5; parts++) {
                ContiguousPartitioner p = ContiguousPartitioner.blocks(0, size, parts, "batch");
                for (long k = 0; k < 3L * size * parts; k++) {
                    assertEquals((int) Math.min(parts - 1, k / size), p.getPartition(k), "size " + size + " key " + k);
                }
            }
        }
    }

    @Test
    void keysOutsideTheRangesAreRefusedNamingTheKey() {
        ContiguousPartitioner p = new ContiguousPartitioner(3, 4, 2, Rounding.DOWN, "batch");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.getPartition(7L));
        assertEquals("batch 7 is outside [3, 7)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p.getPartition(2L));
        assertThrows(IllegalArgumentException.class, () -> ContiguousPartitioner.blocks(3, 2, 2, "batch").getPartition(2L));
        assertThrows(IllegalArgumentException.class, () -> new ContiguousPartitioner(0, 0, 2, Rounding.UP, "x"));
        assertThrows(IllegalArgumentException.class, () -> new ContiguousPartitioner(0, 4, 0, Rounding.UP, "x"));
    }

    @Test
    void equalExactlyWhenEveryKeyMapsAlike() {
        ContiguousPartitioner a = new ContiguousPartitioner(0, 10, 3, Rounding.UP, "split train: record index");
        assertEquals(a, new ContiguousPartitioner(0, 10, 3, Rounding.UP, "split valid: record index"));
        assertEquals(a.hashCode(), new ContiguousPartitioner(0, 10, 3, Rounding.UP, "other").hashCode());
        assertNotEquals(a, new ContiguousPartitioner(0, 10, 3, Rounding.DOWN, "split train: record index"));
        assertNotEquals(a, new ContiguousPartitioner(1, 10, 3, Rounding.UP, "split train: record index"));
        assertNotEquals(a, new ContiguousPartitioner(0, 11, 3, Rounding.UP, "split train: record index"));
        assertNotEquals(a, new ContiguousPartitioner(0, 10, 4, Rounding.UP, "split train: record index"));
        ContiguousPartitioner closed = new ContiguousPartitioner(0, 6, 3, Rounding.DOWN, "batch");
        assertNotEquals(closed, ContiguousPartitioner.blocks(0, 2, 3, "batch"), "the blocks' last range is open");
        assertEquals(ContiguousPartitioner.blocks(0, 2, 3, "batch"), ContiguousPartitioner.blocks(0, 2, 3, "batch"));
    }
}
