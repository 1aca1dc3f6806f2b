package io.surnn.ops.layers.conf;

import io.surnn.ops.layers.CellType;

/**
 * Selective-update layer with the reset-after GRU candidate (docs/method.md §3). See {@link SuLayerConf} for the gate options and
 * docs/layers.md for the equations. Input [minibatch, nIn, T], output [minibatch, nOut, T].
 */
public class SuGru extends SuLayerConf {

    /** For JSON. */
    private SuGru() {
    }

    protected SuGru(Builder b) {
        super(b);
    }

    @Override
    public CellType cellType() {
        return CellType.SUGRU;
    }

    /** Builder; see {@link SuLayerConf.Builder}. */
    public static class Builder extends SuLayerConf.Builder<Builder> {
        @Override
        @SuppressWarnings("unchecked")
        public SuGru build() {
            return checked(new SuGru(this));
        }
    }
}
