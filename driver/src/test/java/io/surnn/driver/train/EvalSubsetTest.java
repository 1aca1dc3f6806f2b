package io.surnn.driver.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train.eval-records}: which records of a split an evaluation reads. */
class EvalSubsetTest {

    /** The taken records in their new order (j = 0, 1, …). */
    private static List<Long> taken(long limit, long all) {
        long[] byJ = new long[(int) limit];
        java.util.Arrays.fill(byJ, -1);
        for (long i = 0; i < all; i++) {
            long j = TrainingRun.evenlySpacedPosition(i, limit, all);
            if (j >= 0) {
                assertTrue(j < limit && byJ[(int) j] == -1, "position " + j + " taken twice or out of range (i " + i + ")");
                byJ[(int) j] = i;
            }
        }
        List<Long> out = new ArrayList<>();
        for (long i : byJ) {
            assertTrue(i >= 0, "every position 0 … limit-1 is filled");
            out.add(i);
        }
        return out;
    }

    @Test
    void takesExactlyLimitRecordsDenselyRenumberedInIndexOrder() {
        long[][] cases = {{16, 32}, {500, 25_000}, {1000, 10_000}, {3, 10}, {7, 9}, {1, 5}, {999, 1000}};
        for (long[] c : cases) {
            List<Long> t = taken(c[0], c[1]);
            assertEquals(c[0], t.size(), "limit " + c[0] + " of " + c[1]);
            for (int j = 0; j < t.size(); j++) {
                assertEquals(Math.floorDiv(j * c[1], c[0]), t.get(j), "record floor(j * all / limit)");
            }
        }
        assertEquals(List.of(0L, 2L, 4L, 6L), taken(4, 8));
    }

    @Test
    void aSplitStoredInLabelOrderKeepsItsLabelShares() {
        // IMDB's test split: 12,500 negatives, then 12,500 positives
        long all = 25_000;
        int pos = 0;
        Set<Long> seen = new HashSet<>(taken(500, all));
        for (long i : seen) {
            if (i >= all / 2) pos++;
        }
        assertEquals(250, pos, "half of the 500 from each class");
    }
}
