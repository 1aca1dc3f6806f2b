package io.surnn.ops.layers.conf;

import io.surnn.ops.layers.CellType;

/**
 * Selective-update layer with the tanh candidate f = tanh(W x + U h + b). See {@link SuLayerConf} for the gate options and
 * docs/layers.md for the equations. Input [minibatch, nIn, T], output [minibatch, nOut, T].
 */
public class SuRnn extends SuLayerConf {

    /** For JSON. */
    private SuRnn() {
    }

    protected SuRnn(Builder b) {
        super(b);
    }

    @Override
    public CellType cellType() {
        return CellType.SURNN;
    }

    /** Builder; see {@link SuLayerConf.Builder}. */
    public static class Builder extends SuLayerConf.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public SuRnn build() {
            return checked(new SuRnn(this));
        }
    }
}
