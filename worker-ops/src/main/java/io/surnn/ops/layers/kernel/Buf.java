package io.surnn.ops.layers.kernel;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * A flat off-heap array in the network's data type (float or double), owned by an ND4J array so the
 * native BLAS reads and writes it in place. Java reads and writes single elements as doubles (the cell's
 * element-wise math); every matrix product goes through {@link Blas} on the same memory.
 *
 * <p>Design note: one abstract class with a float and a double implementation keeps the kernel's code
 * single while storage, products and caches stay in the network's type. Within one JVM run a call site
 * usually sees one of the two, so the JIT inlines {@link #get}/{@link #set}.
 */
public abstract class Buf implements AutoCloseable {

    /** The array this buffer reads and writes ('c'-order contiguous; a view of a larger buffer for {@link #view}). */
    public final INDArray array;
    /** Number of elements. */
    public final int length;
    /** Element offset of this buffer's first element in the underlying data buffer. */
    final int base;
    /**
     * Element offset of this buffer's first element from the native pointer ND4J hands out. For a view,
     * {@code data().addressPointer()} already points at the view's data buffer offset while the NIO
     * buffer starts at the original allocation, so the two need different offsets.
     */
    final int pointerBase;

    private Buf(INDArray array, int base) {
        this.array = array;
        this.length = (int) array.length();
        this.base = base;
        this.pointerBase = base - (int) array.data().offset();
    }

    /** A new buffer of n elements (uninitialised unless zero is set), detached from any workspace. */
    public static Buf allocate(DataType type, long n, boolean zero) {
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("buffer of " + n + " elements exceeds 2^31-1");
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            long len = Math.max(1, n);
            INDArray a = zero ? Nd4j.createUninitializedDetached(type, len).assign(0)
                    : Nd4j.createUninitializedDetached(type, len);
            return view(a);
        }
    }

    /**
     * Wraps a contiguous 'c'-order array or view (e.g. one parameter of a layer's flat parameter array) in
     * place: reads and writes go to the array's memory at its offset. Do not close such a buffer.
     */
    public static Buf view(INDArray a) {
        if (!isContiguousC(a) || a.offset() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Buf needs a contiguous 'c'-order array, got shape "
                    + java.util.Arrays.toString(a.shape()) + " stride " + java.util.Arrays.toString(a.stride()));
        }
        if (a.dataType() == DataType.FLOAT) {
            return new F(a, (int) a.offset());
        }
        if (a.dataType() == DataType.DOUBLE) {
            return new D(a, (int) a.offset());
        }
        throw new IllegalArgumentException("su-layers compute in FLOAT or DOUBLE, not " + a.dataType());
    }

    /** True when a is laid out contiguously in 'c' order (any offset). */
    static boolean isContiguousC(INDArray a) {
        long expect = 1;
        for (int d = a.rank() - 1; d >= 0; d--) {
            if (a.size(d) != 1 && a.stride(d) != expect) {
                return false;
            }
            expect *= a.size(d);
        }
        return true;
    }

    /** A row-major copy (in this buffer's type) of any array: dup 'c' then wrap. */
    public static Buf copyOf(INDArray a, DataType type) {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            INDArray c = a.dataType() == type ? a.dup('c') : a.castTo(type).dup('c');
            return view(c.reshape('c', new long[]{c.length()}));
        }
    }

    public abstract DataType type();

    /**
     * Transpose: dst[dOff + c*ldd + r] = this[sOff + r*lds + c] for r < rows, c < cols. For layout changes
     * of parameters and gradients (once per pass), not per-step work: rows are read in bulk into a Java
     * array, transposed there in tiles, and written back in bulk.
     */
    public abstract void transposeTo(int sOff, int lds, int rows, int cols, Buf dst, int dOff, int ldd);

    /** True when both buffers hold the same length and values (vectorised compare). */
    public abstract boolean sameValues(Buf other);

    /** Rows of a tile are at most this many elements apart in the staging arrays. */
    static final int TILE = 64;

    public abstract double get(int i);

    public abstract void set(int i, double v);

    public final void add(int i, double v) {
        set(i, get(i) + v);
    }

    /** dst[to .. to+len) = this[from .. from+len) (bulk copy; the buffers may be the same if ranges do not overlap). */
    public abstract void copyTo(int from, Buf dst, int to, int len);

    /** this[from .. from+len) = v. */
    public abstract void fill(int from, int len, double v);

    /** A pointer at element off, for BLAS. */
    abstract Pointer at(int off);

    /** Releases the off-heap memory now when this buffer owns it (else the garbage collector does). */
    @Override
    public void close() {
        if (array.closeable()) {
            array.close();
        } else if (array.data().closeable()) {
            array.data().close();
        }
    }

    private static final class F extends Buf {
        private final FloatBuffer b;
        private final FloatPointer p;

        F(INDArray a, int base) {
            super(a, base);
            this.b = a.data().asNioFloat();
            this.p = new FloatPointer(a.data().addressPointer());
        }

        @Override
        public DataType type() {
            return DataType.FLOAT;
        }

        @Override
        public double get(int i) {
            return b.get(base + i);
        }

        @Override
        public void set(int i, double v) {
            b.put(base + i, (float) v);
        }

        @Override
        public void copyTo(int from, Buf dst, int to, int len) {
            F d = (F) dst;
            d.b.put(d.base + to, b, base + from, len);
        }

        @Override
        public void fill(int from, int len, double v) {
            float f = (float) v;
            for (int i = base + from; i < base + from + len; i++) {
                b.put(i, f);
            }
        }

        @Override
        public void transposeTo(int sOff, int lds, int rows, int cols, Buf dst, int dOff, int ldd) {
            F d = (F) dst;
            float[] in = new float[TILE * cols];
            float[] out = new float[cols * TILE];
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                int nr = Math.min(TILE, rows - r0);
                for (int r = 0; r < nr; r++) {
                    b.get(base + sOff + (r0 + r) * lds, in, r * cols, cols);
                }
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    int c1 = Math.min(cols, c0 + TILE);
                    for (int r = 0; r < nr; r++) {
                        for (int c = c0; c < c1; c++) {
                            out[c * TILE + r] = in[r * cols + c];
                        }
                    }
                }
                for (int c = 0; c < cols; c++) {
                    d.b.put(d.base + dOff + c * ldd + r0, out, c * TILE, nr);
                }
            }
        }

        @Override
        public boolean sameValues(Buf other) {
            return other instanceof F o && o.length == length
                    && b.slice(base, length).mismatch(o.b.slice(o.base, length)) < 0;
        }

        @Override
        FloatPointer at(int off) {
            return new FloatPointer(p).position(pointerBase + off);
        }
    }

    private static final class D extends Buf {
        private final DoubleBuffer b;
        private final DoublePointer p;

        D(INDArray a, int base) {
            super(a, base);
            this.b = a.data().asNioDouble();
            this.p = new DoublePointer(a.data().addressPointer());
        }

        @Override
        public DataType type() {
            return DataType.DOUBLE;
        }

        @Override
        public double get(int i) {
            return b.get(base + i);
        }

        @Override
        public void set(int i, double v) {
            b.put(base + i, v);
        }

        @Override
        public void copyTo(int from, Buf dst, int to, int len) {
            D d = (D) dst;
            d.b.put(d.base + to, b, base + from, len);
        }

        @Override
        public void fill(int from, int len, double v) {
            for (int i = base + from; i < base + from + len; i++) {
                b.put(i, v);
            }
        }

        @Override
        public void transposeTo(int sOff, int lds, int rows, int cols, Buf dst, int dOff, int ldd) {
            D d = (D) dst;
            double[] in = new double[TILE * cols];
            double[] out = new double[cols * TILE];
            for (int r0 = 0; r0 < rows; r0 += TILE) {
                int nr = Math.min(TILE, rows - r0);
                for (int r = 0; r < nr; r++) {
                    b.get(base + sOff + (r0 + r) * lds, in, r * cols, cols);
                }
                for (int c0 = 0; c0 < cols; c0 += TILE) {
                    int c1 = Math.min(cols, c0 + TILE);
                    for (int r = 0; r < nr; r++) {
                        for (int c = c0; c < c1; c++) {
                            out[c * TILE + r] = in[r * cols + c];
                        }
                    }
                }
                for (int c = 0; c < cols; c++) {
                    d.b.put(d.base + dOff + c * ldd + r0, out, c * TILE, nr);
                }
            }
        }

        @Override
        public boolean sameValues(Buf other) {
            return other instanceof D o && o.length == length
                    && b.slice(base, length).mismatch(o.b.slice(o.base, length)) < 0;
        }

        @Override
        DoublePointer at(int off) {
            return new DoublePointer(p).position(pointerBase + off);
        }
    }
}
