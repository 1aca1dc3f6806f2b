/**
 * Parameters leave and enter a network as NumPy {@code .npz} archives: {@link io.surnn.ops.io.NpyFormat}
 * reads and writes one {@code .npy} array, {@link io.surnn.ops.io.NpzParams} maps every parameter of a
 * MultiLayerNetwork or ComputationGraph to a named array and back, validating names, shapes and values.
 * The naming scheme and every shape are documented for users in docs/parameters.md.
 */
package io.surnn.ops.io;
