package io.surnn.ops.layers.conf;

import io.surnn.ops.layers.CellType;

/**
 * Selective-update layer with the LSTM candidate; the switch carries (c, h) together. See {@link SuLayerConf} for the gate options and
 * docs/layers.md for the equations. Input [minibatch, nIn, T], output [minibatch, nOut, T].
 */
public class SuLstm extends SuLayerConf {

    /** For JSON. */
    private SuLstm() {
    }

    protected SuLstm(Builder b) {
        super(b);
    }

    @Override
    public CellType cellType() {
        return CellType.SULSTM;
    }

    /** Builder; see {@link SuLayerConf.Builder}. */
    public static class Builder extends SuLayerConf.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public SuLstm build() {
            return checked(new SuLstm(this));
        }
    }
}
