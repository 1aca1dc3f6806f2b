package io.surnn.driver.data;

import io.surnn.prep.format.DatasetManifest;

/**
 * The {@link BatchedSplit.BatchMaker} for a dataset, chosen by its kind: classification and copy
 * records map one to one onto rows; LM windows are first joined into rows of {@code windowsPerRow}
 * consecutive windows; PAIR records become the dual encoder's side-by-side layout ({@link Minibatches#pair}).
 */
public final class BatchMakers {
    private BatchMakers() {}

    public static BatchedSplit.BatchMaker forManifest(DatasetManifest m, int windowsPerRow, boolean sparseLabels) {
        switch (m.kind) {
            case CLASSIFICATION: {
                int classes = m.numClasses;
                return recs -> Minibatches.classification(recs, classes);
            }
            case COPY: {
                int outputs = m.numClasses > 0 ? m.numClasses : m.vocabSize;
                return recs -> Minibatches.copy(recs, outputs);
            }
            case LM: {
                int vocab = m.vocabSize;
                return recs -> Minibatches.languageModel(Minibatches.joinWindows(recs, windowsPerRow), vocab, sparseLabels);
            }
            case PAIR: {
                int classes = m.numClasses;
                return recs -> Minibatches.pair(recs, classes);
            }
            default:
                throw new IllegalArgumentException("dataset kind " + m.kind + " (task " + m.task
                        + ") is not supported by the driver");
        }
    }
}
