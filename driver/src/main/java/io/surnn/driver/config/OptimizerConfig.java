package io.surnn.driver.config;

import io.surnn.ops.models.Optimizer;

/**
 * {@code surnn.train.optimizer}: the updater, its peak learning rate and weight decay. The name is
 * worker-ops' {@link Optimizer}, of which a run config accepts {@link #CHOICES}: ADAMW applies
 * decoupled weight decay, ADAM applies it as L2 on the gradient.
 */
public record OptimizerConfig(Optimizer name, double lr, double weightDecay) {

    /** The optimizers {@code train.optimizer.name} accepts (SGD is for worker-ops' gradient checks). */
    static final Optimizer[] CHOICES = {Optimizer.ADAM, Optimizer.ADAMW};
}
