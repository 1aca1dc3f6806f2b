package io.surnn.ops.layers.kernel;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;

/**
 * Free per-pass buffers of one kernel, reused by later passes (best fit by size). Holds at most
 * {@link #MAX_FREE} buffers; beyond that the smallest is released.
 */
final class BufPool {

    static final int MAX_FREE = 12;

    private final DataType type;
    private final List<Buf> free = new ArrayList<>();

    BufPool(DataType type) {
        this.type = type;
    }

    synchronized Buf take(long n, boolean zero) {
        Buf best = null;
        for (Buf b : free) {
            if (b.length >= n && (best == null || b.length < best.length)) {
                best = b;
            }
        }
        if (best == null) {
            return Buf.allocate(type, n, zero);
        }
        free.remove(best);
        if (zero && n > 0) {
            best.array.get(NDArrayIndex.interval(0, n)).assign(0);
        }
        return best;
    }

    synchronized void give(Buf b) {
        if (b == null) {
            return;
        }
        for (Buf f : free) {
            if (f == b) {
                return;
            }
        }
        free.add(b);
        if (free.size() > MAX_FREE) {
            Buf smallest = free.get(0);
            for (Buf f : free) {
                if (f.length < smallest.length) {
                    smallest = f;
                }
            }
            free.remove(smallest);
            smallest.close();
        }
    }
}
