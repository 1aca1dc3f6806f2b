/**
 * {@code surnn prep mnist}: sequential and permuted-sequential MNIST from IDX files ({@link
 * io.surnn.prep.tasks.mnist.IdxReader}, {@link io.surnn.prep.tasks.mnist.MnistPairReader}); the pMNIST
 * order is {@link io.surnn.prep.tasks.mnist.PixelPermutation}.
 */
package io.surnn.prep.tasks.mnist;
