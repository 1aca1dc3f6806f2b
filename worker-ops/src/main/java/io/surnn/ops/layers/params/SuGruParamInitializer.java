package io.surnn.ops.layers.params;

import io.surnn.ops.layers.CellType;

/**
 * Parameters of {@link io.surnn.ops.layers.conf.SuGru}: blocks [r, z, n] in W/RW, biases
 * [b_r, b_z, b_n, b_hn] in b (b_hn is the reset-after recurrent bias), all biases = biasInit.
 */
public final class SuGruParamInitializer extends SuParamInitializer {
    public static final SuGruParamInitializer INSTANCE = new SuGruParamInitializer();

    private SuGruParamInitializer() {
        super(CellType.SUGRU);
    }
}
