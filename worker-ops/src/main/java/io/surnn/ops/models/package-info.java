/**
 * Model builders: the one place where networks are assembled from suRNN layers (io.surnn.ops.layers)
 * and DL4J's own layers. {@link io.surnn.ops.models.LanguageModelBuilder},
 * {@link io.surnn.ops.models.SequenceClassifierBuilder} and {@link io.surnn.ops.models.DualEncoderBuilder}
 * share the knobs of {@link io.surnn.ops.models.RecurrentModelBuilder}; every builder can produce the
 * baselines at equal width (any gate mode, or {@link io.surnn.ops.layers.CellType#LSTM}). The two
 * custom graph vertices {@link io.surnn.ops.models.PairSplitVertex} and
 * {@link io.surnn.ops.models.PairFeatureVertex} let one encoder serve both documents of a pair.
 * {@link io.surnn.ops.models.Networks} treats a built MultiLayerNetwork and ComputationGraph alike for
 * their users (the driver), and {@link io.surnn.ops.models.UpdateRates} reads and measures every
 * su-layer's update rate, wrapped layers included.
 */
package io.surnn.ops.models;

import io.surnn.ops.layers.CellType;
