/**
 * Plain-Java recurrence kernels of the su-layers: the sequence loop with exact carry, mask handling and
 * hand-written BPTT ({@link io.surnn.ops.layers.kernel.SuSequenceKernel}), the elementwise cells, and a
 * few vectorisable matrix loops. Double precision throughout; the DL4J layer converts at its boundary.
 */
package io.surnn.ops.layers.kernel;
