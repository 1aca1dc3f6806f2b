package io.surnn.driver.data;

import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;

/**
 * Every decision the driver makes from a dataset's kind, in one place: how records become rows
 * (LM windows joined into tBPTT-length rows, one record per row otherwise), how rows become
 * minibatches, whether a split is reshuffled per epoch, the evaluation minibatch size, the units a
 * throughput figure counts, how many optimizer updates one minibatch makes and how many tokens
 * DL4J's score covers. {@code TrainingRun}, {@code evaluate} and {@code generate} ask the profile;
 * none of them tests the kind themselves.
 *
 * <p>Design note: one final class with a switch per decision rather than a subclass per kind: the
 * kinds differ in a handful of numbers, and reading one decision across all kinds side by side is
 * what a change to one of them needs. A profile is built for one manifest and one rows layout
 * ({@code windowsPerRow}): from the run's tBPTT length when training, from the model directory when
 * evaluating a trained model (so evaluation batches exactly as training did).
 */
public final class DatasetProfile {
    private static final int EVAL_BATCH_LM = 16;
    private static final int EVAL_BATCH_OTHER = 64;

    private final DatasetManifest manifest;
    private final int windowsPerRow;

    private DatasetProfile(DatasetManifest manifest, int windowsPerRow) {
        if (manifest.kind == null) {
            throw new IllegalArgumentException("dataset manifest of task " + manifest.task + " has no kind");
        }
        this.manifest = manifest;
        this.windowsPerRow = manifest.kind == DatasetFormat.Kind.LM ? windowsPerRow : 1;
    }

    /**
     * The profile for training with truncated BPTT of {@code tbptt} steps: LM rows are as many
     * consecutive windows as reach one tBPTT segment ({@link BatchPlan#windowsPerRowFor}).
     */
    public static DatasetProfile forTraining(DatasetManifest m, int tbptt) {
        return new DatasetProfile(m, m.kind == DatasetFormat.Kind.LM ? BatchPlan.windowsPerRowFor(m.seqLen, tbptt) : 1);
    }

    /** The profile a trained model was built with ({@code windowsPerRow} from its model directory). */
    public static DatasetProfile forModel(DatasetManifest m, int windowsPerRow) {
        return new DatasetProfile(m, Math.max(1, windowsPerRow));
    }

    public DatasetFormat.Kind kind() {
        return manifest.kind;
    }

    public DatasetManifest manifest() {
        return manifest;
    }

    /**
     * An evaluation as this kind reports it: perplexity for language models, accuracy otherwise (a
     * selective-copy loss is per token, but its result is the share of right tokens).
     */
    public io.surnn.driver.eval.EvalResult reported(io.surnn.driver.eval.EvalResult r) {
        return languageModel() ? r : r.withAccuracyMetric();
    }

    /** True for language models: perplexity instead of accuracy, token throughput, stream order. */
    public boolean languageModel() {
        return manifest.kind == DatasetFormat.Kind.LM;
    }

    /** Records (LM windows) per row: 1 except for LM datasets with windows shorter than tBPTT. */
    public int windowsPerRow() {
        return windowsPerRow;
    }

    /** Whether the training split is reshuffled every epoch (LM rows must stay contiguous stretches). */
    public boolean shufflesPerEpoch() {
        return !languageModel();
    }

    /** The shuffle seed of an epoch's training order, or null where the order is fixed. */
    public Long shuffleSeed(long trainSeed, int epoch) {
        return shufflesPerEpoch() ? trainSeed + epoch : null;
    }

    /** The numbering of {@code records} records into minibatches of {@code batch} rows. */
    public BatchPlan plan(long records, int batch) {
        return new BatchPlan(manifest.kind, records, batch, windowsPerRow);
    }

    /** The numbering of an evaluation split: larger minibatches where labels are small. */
    public BatchPlan evalPlan(long records) {
        return plan(records, languageModel() ? EVAL_BATCH_LM : EVAL_BATCH_OTHER);
    }

    /**
     * How a list of records becomes one DL4J minibatch: classification and copy records map one to
     * one onto rows; LM windows are first joined into rows of {@link #windowsPerRow()} windows; PAIR
     * records become the dual encoder's side-by-side layout ({@link Minibatches#pair}).
     *
     * @param sparseLabels LM targets as class indices (a sparse-label output layer) instead of one-hot
     */
    public BatchedSplit.BatchMaker batchMaker(boolean sparseLabels) {
        DatasetManifest m = manifest;
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
                int wpr = windowsPerRow;
                return recs -> Minibatches.languageModel(Minibatches.joinWindows(recs, wpr), vocab, sparseLabels);
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

    /**
     * Accuracy of a uniform guess among the outputs (the chance line on accuracy charts), or null for
     * language models, whose metric is perplexity.
     */
    public Double chanceAccuracy() {
        switch (manifest.kind) {
            case CLASSIFICATION:
            case PAIR:
                return manifest.numClasses > 0 ? 1.0 / manifest.numClasses : null;
            case COPY: {
                int outputs = manifest.numClasses > 0 ? manifest.numClasses : manifest.vocabSize;
                return outputs > 0 ? 1.0 / outputs : null;
            }
            default:
                return null;
        }
    }

    /** Tokens in one training minibatch of {@code batch} rows (LM exactly, others the split's mean). */
    public long tokensPerBatch(int batch) {
        if (languageModel()) {
            return (long) batch * windowsPerRow * manifest.seqLen;
        }
        DatasetManifest.Split s = manifest.splits.get(DatasetFormat.TRAIN);
        return s == null || s.tokens == null || s.records == 0 ? 0 : Math.round((double) batch * s.tokens / s.records);
    }

    /** Optimizer updates one minibatch makes: one per tBPTT segment of an LM row, else one. */
    public int updatesPerBatch(int tbptt) {
        return languageModel() ? tbpttSegments(rowLength(), tbptt) : 1;
    }

    /** Tokens DL4J's score of one minibatch row covers (the last tBPTT segment for LMs), to scale it per token. */
    public int scoreUnits(int tbptt) {
        return languageModel() ? lastSegmentTokens(rowLength(), tbptt) : 1;
    }

    private int rowLength() {
        return windowsPerRow * manifest.seqLen;
    }

    /** Truncated-BPTT segments (one optimizer update each) in a row of {@code rowLength} tokens. */
    public static int tbpttSegments(int rowLength, int tbptt) {
        return tbptt <= 0 || tbptt >= rowLength ? 1 : (rowLength + tbptt - 1) / tbptt;
    }

    /** Tokens in the last tBPTT segment of a row of {@code rowLength} tokens (DL4J's score covers that segment). */
    public static int lastSegmentTokens(int rowLength, int tbptt) {
        if (tbptt <= 0 || tbptt >= rowLength) {
            return rowLength;
        }
        int rest = rowLength % tbptt;
        return rest == 0 ? tbptt : rest;
    }

    /**
     * Refuses a dataset whose kind differs from the one a model was trained on, naming both.
     *
     * @param modelKind the kind recorded in the model directory
     */
    public void requireKind(String modelKind, String dataDir, String modelTask) {
        if (!manifest.kind.name().equals(modelKind)) {
            throw new IllegalArgumentException("--data " + dataDir + " holds " + manifest.kind
                    + " records but the model was trained on " + modelKind + " (task " + modelTask + ")");
        }
    }

    /** Whether a model trained on kind {@code modelKind} can generate text (only language models). */
    public static boolean generates(String modelKind) {
        return DatasetFormat.Kind.LM.name().equals(modelKind);
    }
}
