/**
 * The suRNN layer family for DL4J: runtime layer ({@link io.surnn.ops.layers.SuRecurrentLayer}),
 * configurations ({@code conf}), parameter initializers ({@code params}) and the native recurrence
 * kernel with hand-written BPTT ({@code kernel}). See docs/layers.md and docs/method.md.
 */
package io.surnn.ops.layers;
