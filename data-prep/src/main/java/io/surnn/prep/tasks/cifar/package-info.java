/**
 * {@code surnn prep cifar10} (LRA Image): CIFAR-10 as 1,024-pixel gray sequences from the binary
 * batches ({@link io.surnn.prep.tasks.cifar.CifarBinaryReader}) or an image-folder layout (decoded by
 * {@link io.surnn.prep.core.ImageDecoding}), gray levels by LRA's formula ({@link
 * io.surnn.prep.core.Grayscale}), class ids in CIFAR's order ({@link io.surnn.prep.tasks.cifar.CifarClasses}).
 */
package io.surnn.prep.tasks.cifar;
