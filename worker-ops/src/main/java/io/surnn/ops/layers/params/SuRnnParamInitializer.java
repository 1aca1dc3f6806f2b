package io.surnn.ops.layers.params;

import io.surnn.ops.layers.CellType;

/** Parameters of {@link io.surnn.ops.layers.conf.SuRnn}: G = 1 block, b = [b] of shape [1, H]. */
public final class SuRnnParamInitializer extends SuParamInitializer {
    public static final SuRnnParamInitializer INSTANCE = new SuRnnParamInitializer();

    private SuRnnParamInitializer() {
        super(CellType.SURNN);
    }
}
