package io.surnn.driver.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MinibatchesTest {

    @Test
    void pairPadsBothDocumentsToOneLengthAndLaysThemSideBySideForTheDualEncoder() {
        DataSet ds = Minibatches.pair(List.of(
                Record.pair(0, new int[] {3, 4}, new int[] {5, 6, 7}, 1),
                Record.pair(1, new int[] {8}, new int[] {9}, 0)), 2);
        // T = 3 (the longest document of either side); features [B, 1, 2T], mask [B, 2T]
        assertArrayEquals(new long[] {2, 1, 6}, ds.getFeatures().shape());
        assertArrayEquals(new long[] {2, 6}, ds.getFeaturesMaskArray().shape());
        assertArrayEquals(new double[] {3, 4, 0, 5, 6, 7}, ds.getFeatures().slice(0).dup().data().asDouble());
        assertArrayEquals(new double[] {8, 0, 0, 9, 0, 0}, ds.getFeatures().slice(1).dup().data().asDouble());
        assertArrayEquals(new double[] {1, 1, 0, 1, 1, 1}, ds.getFeaturesMaskArray().getRow(0).dup().data().asDouble());
        assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0}, ds.getFeaturesMaskArray().getRow(1).dup().data().asDouble());
        assertArrayEquals(new double[] {0, 1, 1, 0}, ds.getLabels().dup().data().asDouble());
        // exactly what DualEncoderBuilder's graph takes: padding of either document does not change the output
        org.deeplearning4j.nn.graph.ComputationGraph net = new io.surnn.ops.models.DualEncoderBuilder()
                .vocabSize(10).embeddingSize(4).hiddenSize(5).mlpSize(3).seed(2).buildNetwork();
        INDArray out = io.surnn.ops.models.Networks.output(net, ds.getFeatures(), ds.getFeaturesMaskArray(), null);
        assertArrayEquals(new long[] {2, 2}, out.shape());
        INDArray noisy = ds.getFeatures().dup();
        noisy.putScalar(new long[] {1, 0, 1}, 7).putScalar(new long[] {1, 0, 5}, 2);   // padded steps only
        assertTrue(out.equalsWithEps(io.surnn.ops.models.Networks.output(net, noisy, ds.getFeaturesMaskArray(), null), 1e-6));
    }

    @Test
    void pairWithAnEmptyDocumentNamesTheRecord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Minibatches.pair(List.of(Record.pair(4, new int[] {1}, new int[0], 0)), 2));
        assertTrue(e.getMessage().contains("record 4") && e.getMessage().contains("tokens2"), e.getMessage());
    }

    @Test
    void classificationPadsToTheLongestAndMasksThePadding() {
        DataSet ds = Minibatches.classification(List.of(
                Record.classification(0, new int[] {3, 4}, 1),
                Record.classification(1, new int[] {5, 6, 7, 8}, 2)), 3);
        assertArrayEquals(new long[] {2, 1, 4}, ds.getFeatures().shape());
        assertEquals(7.0, ds.getFeatures().getDouble(1, 0, 2));
        assertEquals(0.0, ds.getFeatures().getDouble(0, 0, 3));
        assertEquals(2.0, ds.getFeaturesMaskArray().getRow(0).sumNumber().doubleValue());
        assertEquals(4.0, ds.getFeaturesMaskArray().getRow(1).sumNumber().doubleValue());
        assertArrayEquals(new long[] {2, 3}, ds.getLabels().shape());
        assertEquals(1.0, ds.getLabels().getDouble(1, 2));
        assertEquals(1.0, ds.getLabels().sumNumber().doubleValue() / 2);
    }

    @Test
    void classificationLabelOutOfRangeNamesTheRecord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Minibatches.classification(List.of(Record.classification(17, new int[] {1}, 5)), 3));
        assertTrue(e.getMessage().contains("record 17") && e.getMessage().contains("label 5"), e.getMessage());
    }

    @Test
    void languageModelTargetsAreTheInputsShiftedByOne() {
        DataSet ds = Minibatches.languageModel(List.of(new int[] {1, 2, 3, 4}, new int[] {5, 6, 7}), 10, true);
        INDArray f = ds.getFeatures();      // [2, 1, 3]
        INDArray l = ds.getLabels();        // sparse [2, 1, 3]
        assertArrayEquals(new long[] {2, 1, 3}, l.shape());
        for (int s = 0; s < 3; s++) {
            assertEquals(s + 1, f.getDouble(0, 0, s));
            assertEquals(s + 2, l.getDouble(0, 0, s));
        }
        assertEquals(0.0, ds.getLabelsMaskArray().getDouble(1, 2), "the shorter row's last step is padding");
        DataSet oneHot = Minibatches.languageModel(List.of(new int[] {1, 2, 3, 4}), 10, false);
        assertArrayEquals(new long[] {1, 10, 3}, oneHot.getLabels().shape());
        assertEquals(1.0, oneHot.getLabels().getDouble(0, 4, 2));
    }

    @Test
    void joinedWindowsReproduceTheTokenStream() {
        int seqLen = 4;
        int[] stream = new int[4 * seqLen + 1];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = 100 + i;
        }
        List<Record> windows = new ArrayList<>();
        for (int j = 0; j < 4; j++) {
            int[] w = new int[seqLen + 1];
            System.arraycopy(stream, j * seqLen, w, 0, seqLen + 1);
            windows.add(Record.lmWindow(j, (long) j * seqLen, w));
        }
        List<int[]> rows = Minibatches.joinWindows(windows, 2);
        assertEquals(2, rows.size());
        int[] first = new int[2 * seqLen + 1];
        System.arraycopy(stream, 0, first, 0, first.length);
        assertArrayEquals(first, rows.get(0));
        int[] second = new int[2 * seqLen + 1];
        System.arraycopy(stream, 2 * seqLen, second, 0, second.length);
        assertArrayEquals(second, rows.get(1));
    }

    @Test
    void nonContiguousWindowsAreRefused() {
        List<Record> windows = List.of(Record.lmWindow(0, 0, new int[] {1, 2, 3}), Record.lmWindow(1, 5, new int[] {3, 4, 5}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Minibatches.joinWindows(windows, 2));
        assertTrue(e.getMessage().contains("window 1") && e.getMessage().contains("offset 5"), e.getMessage());
    }

    @Test
    void copyLabelsOnlyOnTheLastSteps() {
        DataSet ds = Minibatches.copy(List.of(Record.copy(0, new int[] {1, 2, 3, 4, 5}, new int[] {7, 8})), 10);
        INDArray mask = ds.getLabelsMaskArray();
        assertEquals(2.0, mask.sumNumber().doubleValue());
        assertEquals(1.0, mask.getDouble(0, 3));
        assertEquals(1.0, ds.getLabels().getDouble(0, 7, 3));
        assertEquals(1.0, ds.getLabels().getDouble(0, 8, 4));
    }

    @Test
    void windowsPerRowMakesRowsAtLeastOneTbpttSegment() {
        assertEquals(1, BatchPlan.windowsPerRowFor(128, 64));
        assertEquals(1, BatchPlan.windowsPerRowFor(128, 128));
        assertEquals(3, BatchPlan.windowsPerRowFor(50, 128));
    }
}
