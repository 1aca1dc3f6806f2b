package io.surnn.ops.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class DelayedRecallTest {

    @Test
    void sameSeedGivesSameDataAndOtherSeedDiffers() {
        DelayedRecall task = new DelayedRecall(4, 50, 3);
        assertEquals(task.classification(16, 7).getFeatures(), task.classification(16, 7).getFeatures());
        assertNotEquals(task.classification(16, 7).getFeatures(), task.classification(16, 8).getFeatures());
    }

    @Test
    void symbolAtStartLabelAtQueryAndBlankGapInBetween() {
        DelayedRecall task = new DelayedRecall(5, 20, 0);
        DataSet d = task.classification(32, 1);
        INDArray ids = d.getFeatures();
        assertArrayEquals(new long[] {32, 22}, ids.shape());
        for (int i = 0; i < 32; i++) {
            int symbol = ids.getInt(i, 0) - 2;
            assertTrue(symbol >= 0 && symbol < 5);
            assertEquals(1.0, d.getLabels().getDouble(i, symbol));
            assertEquals(1.0, d.getLabels().getRow(i).sumNumber().doubleValue());
            for (int t = 1; t <= 20; t++) assertEquals(DelayedRecall.BLANK, ids.getInt(i, t));
            assertEquals(DelayedRecall.QUERY, ids.getInt(i, 21));
        }
    }

    @Test
    void noiseTokensComeFromTheirOwnAlphabet() {
        DelayedRecall task = new DelayedRecall(3, 100, 4);
        assertEquals(2 + 3 + 4, task.vocabSize());
        INDArray ids = task.classification(8, 2).getFeatures();
        for (int i = 0; i < 8; i++) {
            for (int t = 1; t <= 100; t++) {
                int id = ids.getInt(i, t);
                assertTrue(id >= 5 && id < 9, "noise id " + id);
            }
        }
    }

    @Test
    void perStepLabelsAndMaskSitOnlyAtTheQueryStep() {
        DelayedRecall task = new DelayedRecall(4, 10, 0);
        DataSet d = task.perStep(6, 3);
        assertArrayEquals(new long[] {6, 4, 12}, d.getLabels().shape());
        assertEquals(6.0, d.getLabelsMaskArray().sumNumber().doubleValue());
        assertEquals(6.0, d.getLabelsMaskArray().getColumn(11).sumNumber().doubleValue());
        assertEquals(6.0, d.getLabels().sumNumber().doubleValue());
        for (int i = 0; i < 6; i++) {
            assertEquals(1.0, d.getLabels().getDouble(i, d.getFeatures().getInt(i, 0) - 2, 11));
        }
    }

    @Test
    void labelsAreRoughlyBalanced() {
        INDArray labels = new DelayedRecall(4, 5, 0).classification(4000, 11).getLabels();
        for (int c = 0; c < 4; c++) {
            double n = labels.getColumn(c).sumNumber().doubleValue();
            assertTrue(n > 900 && n < 1100, "class " + c + " count " + n);
        }
    }

    @Test
    void badArgumentsAreRejected() {
        assertEquals("delayed recall: symbols must be >= 2, got 1",
                assertThrows(IllegalArgumentException.class, () -> new DelayedRecall(1, 5, 0)).getMessage());
        assertEquals("delayed recall: gap must be >= 0, got -1",
                assertThrows(IllegalArgumentException.class, () -> new DelayedRecall(2, -1, 0)).getMessage());
    }
}
