package io.surnn.ops.layers.vocab;

import io.surnn.ops.layers.kernel.Blas;
import io.surnn.ops.layers.kernel.Buf;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Small matrix helpers of the vocabulary layers: products straight into (blocks of) row-major arrays
 * through the kernel's BLAS binding, row gathers, views of another layer's parameters, and a row-wise
 * softmax on ND4J's native ops. All arrays are 2-D, row-major and contiguous.
 */
final class Mats {
    private Mats() {
    }

    /**
     * Scratch arrays kept between calls, one per purpose: a [rows, cols] request is a view of a buffer
     * that grows when needed. Without it, evaluation in chunks allocated and freed hundreds of MB per
     * chunk ([rows, V] logits), and the page faults cost more than the arithmetic.
     */
    static final class Scratch {
        private final java.util.Map<String, INDArray> buffers = new java.util.HashMap<>();

        INDArray get(String purpose, DataType type, long rows, long cols) {
            long need = Math.max(1, rows) * cols;
            INDArray b = buffers.get(purpose);
            if (b == null || b.length() < need || b.dataType() != type) {
                try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                    b = Nd4j.createUninitializedDetached(type, Math.max(need, b == null ? 0 : b.length()));
                }
                buffers.put(purpose, b);
            }
            return b.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, need)).reshape('c', Math.max(1, rows), cols);
        }
    }

    /**
     * A [rows, cols] row-major view of the same memory as {@code anchor}, starting {@code relOffset}
     * elements from the anchor's first element (negative: before it). Used for the tied matrices: the
     * embedding's parameters (and gradients) lie earlier in the network's one flat array.
     */
    static INDArray sibling(INDArray anchor, long relOffset, long rows, long cols) {
        // a view's data buffer is itself a view; offsets count from the original allocation
        DataBuffer all = anchor.data().originalDataBuffer() != null ? anchor.data().originalDataBuffer() : anchor.data();
        long abs = anchor.offset() + relOffset;
        if (abs < 0 || abs + rows * cols > all.length()) {
            throw new IllegalStateException("tied parameters at offset " + abs + " (+" + rows * cols
                    + ") lie outside the network's parameter array of " + all.length()
                    + " values: the network was not built with the tied embedding where the output layer expects it");
        }
        return Nd4j.create(all, new long[] {rows, cols}, new long[] {cols, 1}, abs, 'c');
    }

    /** C = op(A) op(B) + beta C for whole 2-D arrays. */
    static void mm(boolean ta, boolean tb, INDArray a, INDArray b, double beta, INDArray c) {
        int m = (int) c.size(0);
        int n = (int) c.size(1);
        int k = (int) (ta ? a.size(0) : a.size(1));
        Blas.gemm(ta, tb, m, n, k, Buf.view(a), 0, (int) a.size(1), Buf.view(b), 0, (int) b.size(1), beta,
                Buf.view(c), 0, (int) c.size(1));
    }

    /** rows[i] of src ([*, cols]) into dst row i. */
    static void gather(INDArray src, int[] rows, int count, INDArray dst) {
        int cols = (int) src.size(1);
        Buf s = Buf.view(src);
        Buf d = Buf.view(dst);
        for (int i = 0; i < count; i++) {
            s.copyTo(rows[i] * cols, d, i * cols, cols);
        }
    }

    /** dst row rows[i] += src row i. */
    static void scatterAdd(INDArray src, int[] rows, int count, INDArray dst) {
        int cols = (int) src.size(1);
        Buf s = Buf.view(src);
        Buf d = Buf.view(dst);
        for (int i = 0; i < count; i++) {
            Blas.add(cols, s, i * cols, d, rows[i] * cols);
        }
    }

    /**
     * In place, row-wise: z becomes softmax(z). {@code logp}, if {@code target} is not null, receives
     * log softmax(z)[i, target[i]] for every row, computed from the shifted logits (no log of a rounded
     * probability).
     */
    static void softmaxRows(INDArray z, int[] target, double[] logp) {
        int n = (int) z.size(0);
        INDArray mx = z.max(true, 1);                  // [n, 1]
        z.subiColumnVector(mx);
        if (target != null) {
            Buf zb = Buf.view(z);
            int cols = (int) z.size(1);
            for (int i = 0; i < n; i++) logp[i] = zb.get(i * cols + target[i]);
        }
        Transforms.exp(z, false);
        INDArray s = z.sum(true, 1);                   // [n, 1]
        z.diviColumnVector(s);
        if (target != null) {
            for (int i = 0; i < n; i++) logp[i] -= Math.log(s.getDouble(i, 0));
        }
    }
}
