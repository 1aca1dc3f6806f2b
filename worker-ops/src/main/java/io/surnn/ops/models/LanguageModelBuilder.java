package io.surnn.ops.models;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;

/**
 * A word/byte-level language model: ids [B, T] → {@code embedding} → {@code rnn0..rnn<N-1>} (dropout
 * on each layer's input) → {@code output}, a softmax over the vocabulary at every step (MCXENT).
 * Input ids may be [B, T] or [B, 1, T]; with truncated BPTT they must be [B, 1, T] (DL4J M2's
 * MultiLayerNetwork silently skips tBPTT fitting for rank-2 input). Labels are one-hot [B, vocab, T],
 * or class indices [B, 1, T] with {@link #sparseLabels(boolean)}; a label mask [B, T] hides padding.
 *
 * <p>Weight tying (sharing the embedding matrix with the output projection) is not offered: DL4J
 * 1.0.0-M2 gives every layer its own parameter view and has no way to declare one array for two
 * layers, and a tie maintained by copying after each update would not be a tie (the two gradients
 * would not be summed). {@link #tieWeights(boolean)} with {@code true} is therefore refused.
 *
 * <p>Truncated BPTT: {@link #tbpttLength(int)} &gt; 0 trains on segments of that many steps, carrying the
 * state across segments (forward and backward length equal); 0 (the default) back-propagates through
 * the whole sequence.
 */
public final class LanguageModelBuilder extends RecurrentModelBuilder<LanguageModelBuilder> {
    private int tbpttLength = 0;
    private boolean sparseLabels = false;

    public LanguageModelBuilder() {}

    /** Truncated BPTT segment length; 0 = full BPTT. */
    public LanguageModelBuilder tbpttLength(int v) { tbpttLength = v; return this; }

    /**
     * True: labels are class indices [B, 1, T] (LossSparseMCXENT) instead of one-hot [B, vocab, T]
     * (MCXENT); the same loss, without a one-hot array of vocab floats per token.
     */
    public LanguageModelBuilder sparseLabels(boolean v) { sparseLabels = v; return this; }

    /** Refuses {@code true}; see the class note. */
    public LanguageModelBuilder tieWeights(boolean tie) {
        if (tie) {
            throw new IllegalArgumentException("tieWeights=true is not supported: DL4J 1.0.0-M2 cannot share one parameter"
                    + " array between the embedding and the output layer; train with untied weights");
        }
        return this;
    }

    public MultiLayerConfiguration build() {
        validate(true);
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("a language model needs vocabSize > 0 (token ids), got inputSize=" + inputSize);
        }
        require(tbpttLength >= 0, "tbpttLength", tbpttLength, ">= 0");
        NeuralNetConfiguration.ListBuilder list = baseConfiguration().list();
        list.layer(embeddingLayer());
        long nIn = stackInputSize();
        for (int i = 0; i < layers; i++) {
            list.layer(recurrentLayer(i, nIn));
            nIn = hiddenSize;
        }
        RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(sparseLabels ? new LossSparseMCXENT() : new LossMCXENT())
                .name("output").nIn(hiddenSize).nOut(vocabSize).activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW);
        double retain = dropoutRetain(true);
        if (retain < 1) out.dropOut(retain);
        list.layer(out.build());
        if (tbpttLength > 0) {
            list.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(tbpttLength).tBPTTBackwardLength(tbpttLength);
        }
        return list.build();
    }

    /** {@link #build()} as an initialised network. */
    public MultiLayerNetwork buildNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(build());
        net.init();
        return net;
    }
}
