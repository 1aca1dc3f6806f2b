/**
 * The training loop: epochs cut into averaging rounds, the learning-rate schedule applied per round,
 * validation after each epoch with early stopping, checkpoints every N rounds and at each epoch end,
 * resume from a checkpoint to the same step count, and a hard stop on a non-finite loss.
 */
package io.surnn.driver.train;
