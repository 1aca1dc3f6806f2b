/**
 * The suRNN rhythmic gate: a per-neuron binary switch that depends only on the time step and the
 * layer's gate parameters, {@code a_{t,i} = b_i + sum_k alpha_{i,k} sin(omega_k t + phi_{i,k})},
 * {@code g = H(a)} forward, a straight-through surrogate backward.
 *
 * <p>{@link io.surnn.ops.gate.GateMode} picks the variant, {@link io.surnn.ops.gate.Surrogate} the
 * backward pseudo-derivative, {@link io.surnn.ops.gate.GateInit} initialises the parameters to a target
 * update rate, and {@link io.surnn.ops.gate.GateSchedule} computes the whole schedule for a range of steps
 * before a forward pass (the gate is independent of the data) and accumulates the gate-parameter
 * gradients after the backward pass.
 */
package io.surnn.ops.gate;
