package io.surnn.ops.layers.kernel;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.nd4j.linalg.api.buffer.DataType;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_daxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_dgemm;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_saxpy;
import static org.bytedeco.openblas.global.openblas_nolapack.cblas_sgemm;

/**
 * The kernel's matrix products: OpenBLAS's cblas (the library nd4j-native ships and itself calls), reached
 * through JavaCPP on {@link Buf} memory at element offsets with explicit leading dimensions.
 *
 * <p>Design note: ND4J's {@code Nd4j.gemm} on views costs a shape/stride check and sometimes a copy per
 * call; measured at B = 32, H = 1024 it reached 49-59 GFLOP/s where the direct call reached 58-68 on the
 * same operands. Direct calls also take sub-matrices (a column block of a row-major matrix is a pointer
 * plus a leading dimension) without creating views. All matrices are row-major. One row (batch 1) also
 * goes through gemm, not gemv: a row's result then does not depend on the minibatch it is computed in
 * (bitwise; tested with right padding), which a gemv shortcut would break.
 */
public final class Blas {

    private Blas() {
    }

    /**
     * C[m, n] = op(A)[m, k] x op(B)[k, n] + beta C, row-major; op = transpose when ta/tb. A starts at aOff
     * with leading dimension lda (its row stride as stored), likewise B and C.
     */
    public static void gemm(boolean ta, boolean tb, int m, int n, int k, Buf a, int aOff, int lda, Buf b, int bOff,
                            int ldb, double beta, Buf c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            if (beta == 0) {
                for (int r = 0; r < m; r++) {
                    c.fill(cOff + r * ldc, n, 0.0);
                }
            }
            return;
        }
        int opA = ta ? CblasTrans : CblasNoTrans;
        int opB = tb ? CblasTrans : CblasNoTrans;
        if (c.type() == DataType.FLOAT) {
            cblas_sgemm(CblasRowMajor, opA, opB, m, n, k, 1f, (FloatPointer) a.at(aOff), lda, (FloatPointer) b.at(bOff),
                    ldb, (float) beta, (FloatPointer) c.at(cOff), ldc);
        } else {
            cblas_dgemm(CblasRowMajor, opA, opB, m, n, k, 1.0, (DoublePointer) a.at(aOff), lda,
                    (DoublePointer) b.at(bOff), ldb, beta, (DoublePointer) c.at(cOff), ldc);
        }
    }

    /** y[yOff .. yOff+n) += x[xOff .. xOff+n). */
    public static void add(int n, Buf x, int xOff, Buf y, int yOff) {
        if (n == 0) {
            return;
        }
        if (y.type() == DataType.FLOAT) {
            cblas_saxpy(n, 1f, (FloatPointer) x.at(xOff), 1, (FloatPointer) y.at(yOff), 1);
        } else {
            cblas_daxpy(n, 1.0, (DoublePointer) x.at(xOff), 1, (DoublePointer) y.at(yOff), 1);
        }
    }
}
