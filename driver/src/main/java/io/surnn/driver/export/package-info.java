/**
 * Parameters leave and enter a network as NumPy {@code .npz} archives: {@link
 * io.surnn.driver.export.NpzParams} maps every parameter of a MultiLayerNetwork or ComputationGraph to
 * a named array and back, validating names, shapes and values; each array is one {@code .npy} file of
 * data-prep's codec ({@link io.surnn.prep.format.Npy}). Used by {@code surnn export}; the naming scheme
 * and every shape are documented for users in docs/parameters.md.
 */
package io.surnn.driver.export;
