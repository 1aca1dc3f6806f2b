package io.surnn.ops.models;

/** The updater a builder configures. */
public enum Optimizer {
    /** Adam; {@code l2} (if set) is added to the loss as ordinary L2 regularisation. */
    ADAM,
    /**
     * Adam with decoupled weight decay (Loshchilov &amp; Hutter). DL4J M2 has no AdamW updater; the same
     * rule is Adam plus DL4J's {@code WeightDecay} regularisation with {@code applyLR = true}, which
     * subtracts {@code lr · weightDecay · w} from every weight (not biases) after the Adam step.
     */
    ADAMW,
    /** Plain stochastic gradient descent (used by gradient checks and simple baselines). */
    SGD;

    public static Optimizer parse(String name) {
        return EnumNames.parse(Optimizer.class, name, "optimizer");
    }
}
