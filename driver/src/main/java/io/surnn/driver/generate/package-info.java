/**
 * Text generation from a trained language model: prompt text → ids through the training
 * vocabulary ({@link io.surnn.driver.generate.TextCodec}), then token by token sampling with
 * {@code rnnTimeStep}, temperature and top-k ({@link io.surnn.driver.generate.Sampler}).
 */
package io.surnn.driver.generate;
