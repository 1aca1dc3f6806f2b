package io.surnn.ops.layers.params;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named views of a layer's flat parameter (or gradient) array: each entry is a 'c'-order reshape of a
 * contiguous interval, in the order of {@code shapes}, so the same offsets serve parameters and gradients.
 */
public final class ParamViews {
    private ParamViews() {
    }

    /** Total number of values the shapes hold. */
    public static long count(Map<String, long[]> shapes) {
        long n = 0;
        for (long[] s : shapes.values()) {
            long len = 1;
            for (long d : s) len *= d;
            n += len;
        }
        return n;
    }

    /** The views; {@code owner} names the layer in the error when the array has the wrong length. */
    public static Map<String, INDArray> split(String owner, INDArray flatView, Map<String, long[]> shapes) {
        long expected = count(shapes);
        if (flatView.length() != expected) {
            throw new IllegalArgumentException(owner + ": parameter view has " + flatView.length()
                    + " values, expected " + expected);
        }
        INDArray flat = flatView.reshape(flatView.length()); // [N] view of the contiguous [1, N] array
        Map<String, INDArray> out = new LinkedHashMap<>();
        long off = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long len = 1;
            for (long d : e.getValue()) len *= d;
            out.put(e.getKey(), flat.get(NDArrayIndex.interval(off, off + len)).reshape('c', e.getValue()));
            off += len;
        }
        return out;
    }
}
