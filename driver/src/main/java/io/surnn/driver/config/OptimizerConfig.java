package io.surnn.driver.config;

/** {@code surnn.train.optimizer}: the updater, its peak learning rate and weight decay. */
public record OptimizerConfig(Name name, double lr, double weightDecay) {

    /** Updater kinds. ADAMW applies decoupled weight decay; ADAM applies it as L2 on the gradient. */
    public enum Name implements ConfigEnum { ADAM, ADAMW }
}
