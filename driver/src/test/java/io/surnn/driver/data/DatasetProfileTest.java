package io.surnn.driver.data;

import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetProfileTest {

    private static DatasetManifest manifest(DatasetFormat.Kind kind, int seqLen, long records, Long tokens) {
        DatasetManifest m = new DatasetManifest();
        m.task = "t";
        m.kind = kind;
        m.seqLen = seqLen;
        m.vocabSize = 10;
        m.numClasses = kind == DatasetFormat.Kind.LM ? 0 : 3;
        DatasetManifest.Split s = new DatasetManifest.Split();
        s.records = records;
        s.tokens = tokens;
        m.splits.put(DatasetFormat.TRAIN, s);
        return m;
    }

    @Test
    void languageModelRowsReachOneTbpttSegmentAndKeepStreamOrder() {
        DatasetProfile p = DatasetProfile.forTraining(manifest(DatasetFormat.Kind.LM, 50, 90, null), 128);
        assertTrue(p.languageModel());
        assertEquals(3, p.windowsPerRow());                 // 3 windows of 50 reach 128
        assertFalse(p.shufflesPerEpoch());
        assertNull(p.shuffleSeed(7, 2));
        assertEquals(3 * 50 * 4, p.tokensPerBatch(4));
        assertEquals(2, p.updatesPerBatch(128));             // a 150-token row: segments of 128 and 22
        assertEquals(22, p.scoreUnits(128));
        BatchPlan plan = p.plan(90, 4);
        assertEquals(30, plan.rows());
        assertEquals(8, plan.batches());
        assertEquals(16, p.evalPlan(90).batchSize);
    }

    @Test
    void classificationIsOneRecordPerRowReshuffledPerEpoch() {
        DatasetProfile p = DatasetProfile.forTraining(manifest(DatasetFormat.Kind.CLASSIFICATION, 100, 10, 500L), 32);
        assertFalse(p.languageModel());
        assertEquals(1, p.windowsPerRow());
        assertTrue(p.shufflesPerEpoch());
        assertEquals(9L, p.shuffleSeed(7, 2));
        assertEquals(200, p.tokensPerBatch(4));              // 4 records x 50 tokens on average
        assertEquals(1, p.updatesPerBatch(32));
        assertEquals(1, p.scoreUnits(32));
        assertEquals(64, p.evalPlan(10).batchSize);
        assertEquals(3, p.plan(10, 4).batches());
        // rows of several records are the profile's decision for LM windows only, never BatchPlan's
        assertThrows(IllegalArgumentException.class, () -> new BatchPlan(DatasetFormat.Kind.CLASSIFICATION, 10, 4, 3));
    }

    @Test
    void aModelsLayoutIsKeptAndItsKindEnforced() {
        DatasetProfile lm = DatasetProfile.forModel(manifest(DatasetFormat.Kind.LM, 50, 90, null), 3);
        assertEquals(3, lm.windowsPerRow());
        assertEquals(1, DatasetProfile.forModel(manifest(DatasetFormat.Kind.PAIR, 50, 9, null), 3).windowsPerRow());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lm.requireKind("CLASSIFICATION", "/data/x", "listops"));
        assertEquals("--data /data/x holds LM records but the model was trained on CLASSIFICATION (task listops)", e.getMessage());
        assertTrue(DatasetProfile.generates("LM"));
        assertFalse(DatasetProfile.generates("COPY"));
    }
}
