package io.surnn.ops.models;

/** The recurrent cell of a model's recurrent stack. */
public enum CellType {
    /** Selective-update tanh RNN (io.surnn.ops.layers.conf.SuRnn). */
    SURNN,
    /** Selective-update GRU, reset-after form (io.surnn.ops.layers.conf.SuGru): the paper's main model. */
    SUGRU,
    /** Selective-update LSTM (io.surnn.ops.layers.conf.SuLstm). */
    SULSTM,
    /** DL4J's own LSTM at equal width: the outside baseline; gate settings do not apply. */
    LSTM;

    /** Parses a name case-insensitively ("sugru", "SuGRU"); the error lists the accepted names. */
    public static CellType parse(String name) {
        return EnumNames.parse(CellType.class, name, "cell type");
    }
}
