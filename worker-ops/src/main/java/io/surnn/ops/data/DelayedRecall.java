package io.surnn.ops.data;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The delayed-recall task: remember one symbol across a long gap.
 *
 * <p>A sequence has {@code gap + 2} steps: step 0 shows a symbol (one of {@code symbols}), steps
 * 1..gap show filler, and the last step shows the query marker, at which the model must output the
 * symbol. Filler is the blank token, or, with {@code noiseTokens > 0}, tokens drawn uniformly from a
 * separate noise alphabet (distractors the model must learn to ignore).
 *
 * <p>Token ids (the vocabulary has {@link #vocabSize()} entries):
 * <pre>
 *   0                        blank
 *   1                        query marker
 *   2 .. 1+symbols           the symbols; class label = id - 2
 *   2+symbols .. 1+symbols+noiseTokens   noise
 * </pre>
 *
 * <p>Two layouts: {@link #classification} (ids [N, T], labels one-hot [N, symbols], for a classifier
 * that reads the last state) and {@link #perStep} (ids [N, T], labels [N, symbols, T] with a label mask
 * that is 1 only at the query step). Every batch is a pure function of (seed, n): the same arguments
 * always give the same data.
 */
public final class DelayedRecall {
    public static final int BLANK = 0;
    public static final int QUERY = 1;
    private static final int FIRST_SYMBOL = 2;

    private final int symbols;
    private final int gap;
    private final int noiseTokens;

    /**
     * @param symbols number of symbols to remember (the number of classes), at least 2
     * @param gap number of filler steps between the symbol and the query, at least 0
     * @param noiseTokens size of the noise alphabet; 0 means the gap is blank
     */
    public DelayedRecall(int symbols, int gap, int noiseTokens) {
        if (symbols < 2) throw new IllegalArgumentException("delayed recall: symbols must be >= 2, got " + symbols);
        if (gap < 0) throw new IllegalArgumentException("delayed recall: gap must be >= 0, got " + gap);
        if (noiseTokens < 0) {
            throw new IllegalArgumentException("delayed recall: noiseTokens must be >= 0, got " + noiseTokens);
        }
        this.symbols = symbols;
        this.gap = gap;
        this.noiseTokens = noiseTokens;
    }

    public int symbols() { return symbols; }

    public int gap() { return gap; }

    /** Sequence length T = gap + 2. */
    public int length() { return gap + 2; }

    /** Number of distinct token ids (embedding input size). */
    public int vocabSize() { return FIRST_SYMBOL + symbols + noiseTokens; }

    /** Ids [n, T] (float, as DL4J's embedding layers take them) and one-hot labels [n, symbols]. */
    public DataSet classification(int n, long seed) {
        int[] answers = new int[n];
        INDArray ids = ids(n, seed, answers);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, symbols);
        for (int i = 0; i < n; i++) labels.putScalar(i, answers[i], 1f);
        return new DataSet(ids, labels);
    }

    /**
     * Ids [n, T], labels [n, symbols, T] (one-hot at the query step, zero elsewhere) and a label mask
     * [n, T] that is 1 only at the query step; no feature mask (every step is real input).
     */
    public DataSet perStep(int n, long seed) {
        int[] answers = new int[n];
        INDArray ids = ids(n, seed, answers);
        int t = length() - 1;
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, symbols, length());
        INDArray labelMask = Nd4j.zeros(DataType.FLOAT, n, length());
        for (int i = 0; i < n; i++) {
            labels.putScalar(new long[] {i, answers[i], t}, 1f);
            labelMask.putScalar(i, t, 1f);
        }
        return new DataSet(ids, labels, null, labelMask);
    }

    private INDArray ids(int n, long seed, int[] answers) {
        if (n < 1) throw new IllegalArgumentException("delayed recall: batch size must be >= 1, got " + n);
        SplittableRandom rnd = new SplittableRandom(seed);
        int len = length();
        float[] v = new float[n * len];
        for (int i = 0; i < n; i++) {
            answers[i] = rnd.nextInt(symbols);
            int row = i * len;
            v[row] = FIRST_SYMBOL + answers[i];
            for (int s = 1; s <= gap; s++) {
                v[row + s] = noiseTokens == 0 ? BLANK : FIRST_SYMBOL + symbols + rnd.nextInt(noiseTokens);
            }
            v[row + len - 1] = QUERY;
        }
        return Nd4j.create(v, new long[] {n, len}, 'c'); // [n, T]
    }
}
