package io.surnn.ops.layers.vocab;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * Configuration of the adaptive-softmax output layer (Grave et al., 2017) over a recurrent input
 * [B, nIn, T] with labels as word ids [B, 1, T] (or one-hot [B, nOut, T]) and an optional labels mask [B, T].
 *
 * <p>Cut-offs split the frequency-ordered vocabulary into a head and tail clusters ({@link VocabClusters});
 * with no cut-offs the layer is the plain full softmax, which is how a tied full softmax is built.
 * {@code tied}: the layer does not own its word matrices and projections but uses the adaptive input
 * embedding's ({@link AdaptiveEmbedding}, same cut-offs, width nIn), located {@code tiedOffset} parameter
 * elements before this layer's own parameters in the network's flat parameter array (the model builder
 * sets it: DL4J M2 gives each layer a view of one flat array and has no way to name another layer's).
 *
 * <p>The loss is DL4J's convention for recurrent output layers: the sum over labelled steps of -log p,
 * averaged over the minibatch. The configured loss function (sparse MCXENT) and activation (softmax) are
 * what the layer computes; they are set so that tools reading a configuration see a softmax classifier.
 */
public class AdaptiveSoftmax extends BaseOutputLayer {
    private int[] cutoffs = new int[0];
    private int shrink = 4;
    private boolean tied;
    private long tiedOffset;

    /** For JSON. */
    public AdaptiveSoftmax() {
    }

    private AdaptiveSoftmax(Builder b) {
        super(b);
        this.cutoffs = b.cutoffs.clone();
        this.shrink = b.shrink;
        this.tied = b.tied;
        this.tiedOffset = b.tiedOffset;
    }

    /** The cluster geometry: vocabulary nOut, width nIn. */
    public VocabClusters clusters() {
        return new VocabClusters((int) nOut, (int) nIn, cutoffs, shrink);
    }

    /** Checks the fields; throws IllegalArgumentException naming the layer and the field. */
    public void validate() {
        String name = "AdaptiveSoftmax '" + layerName + "'";
        VocabClusters.check(name, nOut, nIn, cutoffs, shrink);
        if (tied && tiedOffset <= 0) {
            throw new IllegalArgumentException(name + ": tied, but the offset of the embedding's parameters is "
                    + tiedOffset + " (build the network with LanguageModelBuilder, which sets it)");
        }
    }

    @Override
    public Layer instantiate(NeuralNetConfiguration conf, Collection<TrainingListener> listeners, int layerIndex,
                             INDArray layerParamsView, boolean initializeParams, DataType networkDataType) {
        validate();
        AdaptiveSoftmaxLayer ret = new AdaptiveSoftmaxLayer(conf, networkDataType);
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
        if (inputType instanceof InputType.InputTypeRecurrent && (nIn <= 0 || override)) {
            nIn = ((InputType.InputTypeRecurrent) inputType).getSize();
        }
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        return null;
    }

    public int[] getCutoffs() { return cutoffs.clone(); }
    public void setCutoffs(int[] cutoffs) { this.cutoffs = cutoffs == null ? new int[0] : cutoffs.clone(); }
    public int getShrink() { return shrink; }
    public void setShrink(int shrink) { this.shrink = shrink; }
    public boolean isTied() { return tied; }
    public void setTied(boolean tied) { this.tied = tied; }
    public long getTiedOffset() { return tiedOffset; }
    public void setTiedOffset(long tiedOffset) { this.tiedOffset = tiedOffset; }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AdaptiveSoftmax) || !super.equals(o)) return false;
        AdaptiveSoftmax c = (AdaptiveSoftmax) o;
        return Arrays.equals(cutoffs, c.cutoffs) && shrink == c.shrink && tied == c.tied && tiedOffset == c.tiedOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), Arrays.hashCode(cutoffs), shrink, tied, tiedOffset);
    }

    @Override
    public String toString() {
        return "AdaptiveSoftmax(nIn=" + nIn + ", nOut=" + nOut + ", cutoffs=" + Arrays.toString(cutoffs)
                + ", shrink=" + shrink + ", tied=" + tied + ")";
    }

    /** Builder: nIn (width) and nOut (vocabulary) as for any output layer, plus the clusters. */
    public static class Builder extends BaseOutputLayer.Builder<Builder> {
        private int[] cutoffs = new int[0];
        private int shrink = 4;
        private boolean tied;
        private long tiedOffset;

        public Builder() {
            super(new LossSparseMCXENT());
            activation(Activation.SOFTMAX);
        }

        /** Word-id cut-offs between clusters (strictly increasing, within the vocabulary); none = full softmax. */
        public Builder cutoffs(int... c) { this.cutoffs = c == null ? new int[0] : c.clone(); return this; }
        /** Tail cluster j works in width nIn / shrink^j (default 4). */
        public Builder tailShrink(int f) { this.shrink = f; return this; }
        /** Share the word matrices and projections of the adaptive input embedding. */
        public Builder tied(boolean t) { this.tied = t; return this; }
        /** Elements from the embedding's first parameter to this layer's first (set by the model builder). */
        public Builder tiedOffset(long off) { this.tiedOffset = off; return this; }

        @Override
        @SuppressWarnings("unchecked")
        public AdaptiveSoftmax build() {
            AdaptiveSoftmax c = new AdaptiveSoftmax(this);
            if (!c.tied || c.tiedOffset > 0) c.validate();
            return c;
        }
    }
}
