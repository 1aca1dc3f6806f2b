package io.surnn.ops.layers.params;

import io.surnn.ops.layers.CellType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Parameters of {@link io.surnn.ops.layers.conf.SuLstm}: blocks [i, f, o, g] in W/RW/b; the forget
 * bias b_f starts at 1 (the usual LSTM choice: remember by default), the others at biasInit.
 */
public final class SuLstmParamInitializer extends SuParamInitializer {
    public static final SuLstmParamInitializer INSTANCE = new SuLstmParamInitializer();

    /** Initial value of the forget-gate bias block. */
    public static final double FORGET_BIAS_INIT = 1.0;

    private SuLstmParamInitializer() {
        super(CellType.SULSTM);
    }

    @Override
    protected void initBias(INDArray b, long h) {
        b.get(NDArrayIndex.point(0), NDArrayIndex.interval(h, 2 * h)).assign(FORGET_BIAS_INIT);
    }
}
