/**
 * The native su-layer kernel: {@link io.surnn.ops.layers.kernel.SuKernel} runs the sequence loop with
 * exact carry of closed neurons, masks and hand-written BPTT in the network's data type (float32 or
 * float64) on off-heap buffers ({@link io.surnn.ops.layers.kernel.Buf}); every matrix product is a
 * direct OpenBLAS gemm ({@link io.surnn.ops.layers.kernel.Blas}), whole-window for dense stretches and
 * over the open neurons' rows for sparse ones. The element-wise cell math ({@code *Cell}) is Java on the
 * same memory. See docs/layers.md and docs/method.md §5.
 */
package io.surnn.ops.layers.kernel;
