package io.surnn.ops.models;

/** How a sequence encoder turns the last recurrent layer's [B, H, T] output into one vector [B, H]. */
public enum Readout {
    /** Mean over the real (unmasked) steps: DL4J's GlobalPoolingLayer AVG honours the feature mask. */
    MEAN,
    /** The state at the last real step: DL4J's LastTimeStep wrapper picks it per example from the mask. */
    LAST;

    public static Readout parse(String name) {
        return EnumNames.parse(Readout.class, name, "readout");
    }
}
