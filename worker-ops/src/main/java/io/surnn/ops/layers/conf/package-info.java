/**
 * DL4J layer configurations of the su-layers: {@link io.surnn.ops.layers.conf.SuRnn} (tanh candidate),
 * {@link io.surnn.ops.layers.conf.SuGru} (reset-after GRU candidate) and
 * {@link io.surnn.ops.layers.conf.SuLstm} (LSTM candidate, switch carries (c, h)), sharing
 * {@link io.surnn.ops.layers.conf.SuLayerConf}. They serialise to JSON with their class name.
 */
package io.surnn.ops.layers.conf;
