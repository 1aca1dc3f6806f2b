package io.surnn.ops.layers;

import io.surnn.ops.layers.kernel.Blas;
import io.surnn.ops.layers.kernel.Buf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A Buf over a view at a nonzero offset (a layer's parameter inside the flat array) must hand BLAS the
 * same memory its element reads see: ND4J's native pointer of a view already starts at the view while
 * its NIO buffer starts at the allocation. An earlier Buf added the offset twice for BLAS.
 */
class BufViewTest {
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void blasOnOffsetViewsWritesWhereElementReadsLook(DataType type) {
        INDArray flat = Nd4j.linspace(type, 1, 60, 1).reshape(1, 60);
        INDArray a = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(10, 16)).reshape('c', 2, 3);   // [2, 3]
        INDArray b = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(20, 26)).reshape('c', 3, 2);   // [3, 2]
        INDArray c = flat.get(NDArrayIndex.point(0), NDArrayIndex.interval(40, 44)).reshape('c', 2, 2);
        INDArray expected = a.mmul(b);
        Blas.gemm(false, false, 2, 2, 3, Buf.view(a), 0, 3, Buf.view(b), 0, 2, 0.0, Buf.view(c), 0, 2);
        assertEquals(0, expected.sub(c).amaxNumber().doubleValue(), 1e-9);
        assertEquals(expected.getDouble(1, 1), Buf.view(c).get(3), 1e-9);
        assertEquals(39.0, flat.getDouble(0, 38), 0.0);   // neighbours untouched
        assertEquals(45.0, flat.getDouble(0, 44), 0.0);
    }
}
