package io.surnn.ops.layers;

/**
 * A layer whose neurons update only at some steps; reports how many did in its last forward pass, so
 * listeners and reports can read it through {@code net.getLayers()}.
 */
public interface UpdateRateAware {
    /**
     * Fraction of open (neuron, step) pairs in the last forward pass (any of activate, rnnTimeStep,
     * rnnActivateUsingStoredState, or the forward inside backprop), counted over the gate schedule
     * (it is shared by all sequences of the minibatch; padded steps are not discounted).
     * For the SOFT gate mode it is the mean gate value. NaN before any forward pass.
     */
    double lastUpdateRate();
}
