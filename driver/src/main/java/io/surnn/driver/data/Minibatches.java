package io.surnn.driver.data;

import io.surnn.ops.models.DualEncoderBuilder;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds one DL4J minibatch from records, per dataset kind. Token ids travel as float values in a
 * {@code [B, 1, T]} array, the recurrent input type DL4J's {@code EmbeddingSequenceLayer} reads;
 * sequences are right-padded with id 0 up to the batch's longest and a {@code [B, T]} mask marks the
 * real steps (padding contributes neither to pooling nor to the loss).
 *
 * <ul>
 *   <li>CLASSIFICATION: labels one-hot {@code [B, C]}.</li>
 *   <li>LM: inputs {@code tokens[0..n-1]}, targets {@code tokens[1..n]}; labels either one-hot
 *       {@code [B, V, T]} or, for an output layer with {@code LossSparseMCXENT}, class indices
 *       {@code [B, 1, T]} — V times smaller, which is what makes a 33k vocabulary affordable.</li>
 *   <li>COPY: labels one-hot {@code [B, V, T]} only on each record's last M steps (M = its number of
 *       targets); a labels mask keeps the other steps out of the loss.</li>
 *   <li>PAIR: the dual encoder's one input: both documents padded to a common length T and laid
 *       side by side in time ({@link DualEncoderBuilder#stackPair}), features {@code [B, 1, 2T]}, mask
 *       {@code [B, 2T]}, labels one-hot {@code [B, C]}.</li>
 * </ul>
 */
public final class Minibatches {
    private Minibatches() {}

    /** CLASSIFICATION: features [B,1,T], features mask [B,T], labels one-hot [B,C]. */
    public static DataSet classification(List<Record> records, int numClasses) {
        int b = records.size();
        int t = maxLength(records, false);
        INDArray features = Nd4j.zeros(b, 1, t);          // [B, 1, T] token ids
        INDArray mask = Nd4j.zeros(b, t);                 // [B, T]
        INDArray labels = Nd4j.zeros(b, numClasses);      // [B, C]
        for (int i = 0; i < b; i++) {
            Record r = records.get(i);
            fillIds(features, mask, i, r.tokens, 0, r.tokens.length);
            labels.putScalar(i, checkedLabel(r, numClasses), 1.0);
        }
        return new DataSet(features, labels, mask, null);
    }

    /**
     * LM: each row is a stretch of the token stream of n+1 ids; inputs are ids[0..n-1], targets
     * ids[1..n]. Rows shorter than the longest are padded and masked (features and labels).
     */
    public static DataSet languageModel(List<int[]> rows, int vocabSize, boolean sparseLabels) {
        int b = rows.size();
        int t = 0;
        for (int[] row : rows) {
            if (row.length < 2) {
                throw new IllegalArgumentException("LM row of " + row.length + " token(s): needs at least 2 (input and target)");
            }
            t = Math.max(t, row.length - 1);
        }
        INDArray features = Nd4j.zeros(b, 1, t);                                   // [B, 1, T]
        INDArray mask = Nd4j.zeros(b, t);                                          // [B, T]
        INDArray labels = sparseLabels ? Nd4j.zeros(b, 1, t) : Nd4j.zeros(b, vocabSize, t); // [B,1,T] | [B,V,T]
        for (int i = 0; i < b; i++) {
            int[] row = rows.get(i);
            int n = row.length - 1;
            fillIds(features, mask, i, row, 0, n);
            for (int s = 0; s < n; s++) {
                int target = checkedId(row[s + 1], vocabSize, "LM target");
                if (sparseLabels) {
                    labels.putScalar(new long[] {i, 0, s}, target);
                } else {
                    labels.putScalar(new long[] {i, target, s}, 1.0);
                }
            }
        }
        return new DataSet(features, labels, mask, mask.dup());
    }

    /** COPY: features [B,1,T]; labels one-hot [B,V,T] on the last M steps of each record; labels mask [B,T]. */
    public static DataSet copy(List<Record> records, int numOutputs) {
        int b = records.size();
        int t = maxLength(records, false);
        INDArray features = Nd4j.zeros(b, 1, t);            // [B, 1, T]
        INDArray featuresMask = Nd4j.zeros(b, t);           // [B, T]
        INDArray labels = Nd4j.zeros(b, numOutputs, t);     // [B, V, T]
        INDArray labelsMask = Nd4j.zeros(b, t);             // [B, T]
        for (int i = 0; i < b; i++) {
            Record r = records.get(i);
            int len = r.tokens.length;
            int m = r.targets.length;
            if (m > len) {
                throw new IllegalArgumentException("record " + r.index + ": " + m + " targets but only " + len + " input steps");
            }
            fillIds(features, featuresMask, i, r.tokens, 0, len);
            for (int j = 0; j < m; j++) {
                int step = len - m + j;
                labels.putScalar(new long[] {i, checkedId(r.targets[j], numOutputs, "record " + r.index + " target"), step}, 1.0);
                labelsMask.putScalar(i, step, 1.0);
            }
        }
        return new DataSet(features, labels, featuresMask, labelsMask);
    }

    /**
     * PAIR, in the layout of {@link DualEncoderBuilder}: T = the longest document of the batch (first
     * or second); each document right-padded to T with id 0 and masked; the two stacked side by side
     * in time → features [B,1,2T] (steps 0..T-1 the first document, T..2T-1 the second), features mask
     * [B,2T], labels one-hot [B,C]. The graph's split vertex turns this into [2B,1,T] for the encoder.
     */
    public static DataSet pair(List<Record> records, int numClasses) {
        int b = records.size();
        int t = Math.max(maxLength(records, false), maxLength(records, true));
        INDArray f1 = Nd4j.zeros(b, 1, t);               // [B, 1, T] first documents
        INDArray m1 = Nd4j.zeros(b, t);                  // [B, T]
        INDArray f2 = Nd4j.zeros(b, 1, t);               // [B, 1, T] second documents
        INDArray m2 = Nd4j.zeros(b, t);                  // [B, T]
        INDArray labels = Nd4j.zeros(b, numClasses);     // [B, C]
        for (int i = 0; i < b; i++) {
            Record r = records.get(i);
            fillIds(f1, m1, i, r.tokens, 0, r.tokens.length);
            fillIds(f2, m2, i, r.tokens2, 0, r.tokens2.length);
            labels.putScalar(i, checkedLabel(r, numClasses), 1.0);
        }
        return new DataSet(DualEncoderBuilder.stackPair(f1, f2),   // [B, 1, 2T]
                labels, DualEncoderBuilder.stackPair(m1, m2), null); // mask [B, 2T]
    }

    /**
     * LM rows from consecutive windows: windows j..j+c-1 (each seq_len+1 ids, overlapping by one)
     * joined into one stretch of c·seq_len+1 ids. The windows must be contiguous in the stream
     * (checked through their offsets).
     */
    public static List<int[]> joinWindows(List<Record> windows, int windowsPerRow) {
        if (windowsPerRow < 1) {
            throw new IllegalArgumentException("windowsPerRow must be >= 1, got " + windowsPerRow);
        }
        List<int[]> rows = new ArrayList<>();
        for (int start = 0; start < windows.size(); start += windowsPerRow) {
            int end = Math.min(windows.size(), start + windowsPerRow);
            int len = 1;
            for (int j = start; j < end; j++) {
                Record w = windows.get(j);
                if (j > start) {
                    Record prev = windows.get(j - 1);
                    long expected = prev.offset + prev.tokens.length - 1;
                    if (w.offset != expected) {
                        throw new IllegalArgumentException("LM window " + w.index + " starts at stream offset " + w.offset
                                + ", expected " + expected + " (windows of a row must be contiguous)");
                    }
                }
                len += w.tokens.length - 1;
            }
            int[] row = new int[len];
            int pos = 0;
            for (int j = start; j < end; j++) {
                int[] tok = windows.get(j).tokens;
                int from = j == start ? 0 : 1;   // the first id of a later window repeats the previous window's last
                System.arraycopy(tok, from, row, pos, tok.length - from);
                pos += tok.length - from;
            }
            rows.add(row);
        }
        return rows;
    }

    private static int maxLength(List<Record> records, boolean second) {
        int t = 0;
        for (Record r : records) {
            int[] ids = second ? r.tokens2 : r.tokens;
            if (ids == null || ids.length == 0) {
                throw new IllegalArgumentException("record " + r.index + ": empty " + (second ? "tokens2" : "tokens"));
            }
            t = Math.max(t, ids.length);
        }
        return t;
    }

    private static void fillIds(INDArray features, INDArray mask, int row, int[] ids, int from, int n) {
        for (int s = 0; s < n; s++) {
            features.putScalar(new long[] {row, 0, s}, ids[from + s]);
            mask.putScalar(row, s, 1.0);
        }
    }

    private static int checkedLabel(Record r, int numClasses) {
        if (r.label < 0 || r.label >= numClasses) {
            throw new IllegalArgumentException("record " + r.index + ": label " + r.label + " outside [0, " + numClasses + ")");
        }
        return r.label;
    }

    private static int checkedId(int id, int size, String what) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException(what + " id " + id + " outside [0, " + size + ")");
        }
        return id;
    }
}
