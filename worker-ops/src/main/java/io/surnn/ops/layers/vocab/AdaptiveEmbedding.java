package io.surnn.ops.layers.vocab;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * Configuration of the adaptive input embedding (Baevski &amp; Auli, 2019): word ids [B, T] or [B, 1, T]
 * to vectors [B, nOut, T]. A head word's vector is its row of E0 [n0, nOut]; a word of tail cluster j
 * has a row of Ej [n_j, d_j] projected by Pj [d_j, nOut]. With no cut-offs it is a plain embedding
 * matrix. nIn is the vocabulary size.
 *
 * <p>{@code tied}: an {@link AdaptiveSoftmax} later in the network shares these matrices and writes its
 * part of their gradient first (the output layer's backward pass runs before this one's), so this layer
 * adds its gradient to what is there instead of overwriting it.
 */
public class AdaptiveEmbedding extends FeedForwardLayer {
    private int[] cutoffs = new int[0];
    private int shrink = 4;
    private boolean tied;

    /** For JSON. */
    public AdaptiveEmbedding() {
    }

    private AdaptiveEmbedding(Builder b) {
        super(b);
        this.cutoffs = b.cutoffs.clone();
        this.shrink = b.shrink;
        this.tied = b.tied;
    }

    /** The cluster geometry: vocabulary nIn, width nOut. */
    public VocabClusters clusters() {
        return new VocabClusters((int) nIn, (int) nOut, cutoffs, shrink);
    }

    public void validate() {
        VocabClusters.check("AdaptiveEmbedding '" + layerName + "'", nIn, nOut, cutoffs, shrink);
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        validate();
        AdaptiveEmbeddingLayer ret = new AdaptiveEmbeddingLayer(conf, networkDataType);
        ret.setListeners(listeners);
        ret.setIndex(layerIndex);
        ret.setParamsViewArray(layerParamsView);
        ret.setParamTable(initializer().init(conf, layerParamsView, initializeParams));
        ret.setConf(conf);
        return ret;
    }

    @Override
    public ParamInitializer initializer() {
        return VocabParams.INSTANCE;
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        long t = inputType instanceof InputType.InputTypeRecurrent
                ? ((InputType.InputTypeRecurrent) inputType).getTimeSeriesLength() : -1;
        return InputType.recurrent(nOut, t);
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        // nIn is the vocabulary size, not the input's feature size
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long params = initializer().numParams(this);
        return new LayerMemoryReport.Builder(layerName, getClass(), inputType, getOutputType(-1, inputType))
                .standardMemory(params, params).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    public int[] getCutoffs() { return cutoffs.clone(); }
    public void setCutoffs(int[] cutoffs) { this.cutoffs = cutoffs == null ? new int[0] : cutoffs.clone(); }
    public int getShrink() { return shrink; }
    public void setShrink(int shrink) { this.shrink = shrink; }
    public boolean isTied() { return tied; }
    public void setTied(boolean tied) { this.tied = tied; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AdaptiveEmbedding) || !super.equals(o)) return false;
        AdaptiveEmbedding c = (AdaptiveEmbedding) o;
        return Arrays.equals(cutoffs, c.cutoffs) && shrink == c.shrink && tied == c.tied;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(cutoffs), shrink, tied);
    }

    @Override
    public String toString() {
        return "AdaptiveEmbedding(nIn=" + nIn + ", nOut=" + nOut + ", cutoffs=" + Arrays.toString(cutoffs)
                + ", shrink=" + shrink + ", tied=" + tied + ")";
    }

    /** Builder: nIn = vocabulary size, nOut = embedding width, plus the clusters. */
    public static class Builder extends FeedForwardLayer.Builder<Builder> {
        private int[] cutoffs = new int[0];
        private int shrink = 4;
        private boolean tied;

        public Builder cutoffs(int... c) { this.cutoffs = c == null ? new int[0] : c.clone(); return this; }
        public Builder tailShrink(int f) { this.shrink = f; return this; }
        public Builder tied(boolean t) { this.tied = t; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public AdaptiveEmbedding build() {
            AdaptiveEmbedding c = new AdaptiveEmbedding(this);
            c.validate();
            return c;
        }
    }
}
