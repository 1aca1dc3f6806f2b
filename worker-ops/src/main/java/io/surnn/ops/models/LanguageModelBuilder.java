package io.surnn.ops.models;

import io.surnn.ops.layers.vocab.AdaptiveEmbedding;
import io.surnn.ops.layers.vocab.AdaptiveSoftmax;
import io.surnn.ops.layers.vocab.VocabClusters;
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
 * on each layer's input) → {@code output}, a softmax over the vocabulary at every step: DL4J's
 * RnnOutputLayer (MCXENT) by default, or the project's {@link AdaptiveSoftmax} with
 * {@link #softmax(OutputSoftmax) ADAPTIVE}.
 * Input ids may be [B, T] or [B, 1, T]; with truncated BPTT they must be [B, 1, T] (DL4J M2's
 * MultiLayerNetwork silently skips tBPTT fitting for rank-2 input). Labels are one-hot [B, vocab, T],
 * or class indices [B, 1, T] with {@link #sparseLabels(boolean)}; a label mask [B, T] hides padding.
 *
 * <p>Tied embeddings ({@link #tieEmbeddings(boolean)}): the embedding becomes an {@link AdaptiveEmbedding}
 * (same cut-offs as the output; none for a full softmax) and the output layer reads its word matrices
 * and projections instead of owning copies; both gradients land in the one parameter block (the output
 * layer writes first, the embedding adds). This needs embedding size = hidden size. DL4J M2 cannot
 * declare one array for two layers, so the output layer finds the embedding's parameters at a fixed
 * distance back in the network's flat parameter array, which {@link #build()} computes and stores in
 * the output layer's configuration.
 *
 * <p>Truncated BPTT: {@link #tbpttLength(int)} &gt; 0 trains on segments of that many steps, carrying the
 * state across segments (forward and backward length equal); 0 (the default) back-propagates through
 * the whole sequence.
 */
public final class LanguageModelBuilder extends RecurrentModelBuilder<LanguageModelBuilder> {
    private int tbpttLength = 0;
    private boolean sparseLabels = false;
    private OutputSoftmax softmax = Defaults.OUTPUT_SOFTMAX;
    private int[] cutoffs;          // null = VocabClusters.autoCutoffs(vocab) ("auto")
    private int tailShrink = Defaults.TAIL_SHRINK;
    private boolean tieEmbeddings = Defaults.TIE_EMBEDDINGS;

    public LanguageModelBuilder() {}

    /** Truncated BPTT segment length; 0 = full BPTT. */
    public LanguageModelBuilder tbpttLength(int v) { tbpttLength = v; return this; }

    /**
     * True: labels are class indices [B, 1, T] (LossSparseMCXENT) instead of one-hot [B, vocab, T]
     * (MCXENT); the same loss, without a one-hot array of vocab floats per token.
     */
    public LanguageModelBuilder sparseLabels(boolean v) { sparseLabels = v; return this; }

    /** FULL (default) or ADAPTIVE softmax over the vocabulary. */
    public LanguageModelBuilder softmax(OutputSoftmax v) { softmax = v; return this; }

    /** Adaptive softmax cluster boundaries (word ids, increasing); null = derived from the vocabulary size. */
    public LanguageModelBuilder cutoffs(int... v) { cutoffs = v == null ? null : v.clone(); return this; }

    /** Tail cluster j of the adaptive softmax works in width hidden / shrink^j (default 4). */
    public LanguageModelBuilder tailShrink(int v) { tailShrink = v; return this; }

    /** Share the input embedding with the output layer's word matrices (needs embeddingSize = hiddenSize). */
    public LanguageModelBuilder tieEmbeddings(boolean v) { tieEmbeddings = v; return this; }

    /** The cut-offs as set (null = derived from the vocabulary size). */
    public int[] cutoffs() { return cutoffs == null ? null : cutoffs.clone(); }

    /** The cut-offs the built model uses: none for a full softmax, else the given or derived ones. */
    public int[] effectiveCutoffs() {
        if (softmax != OutputSoftmax.ADAPTIVE) return new int[0];
        return cutoffs != null ? cutoffs.clone() : VocabClusters.autoCutoffs(vocabSize);
    }

    public MultiLayerConfiguration build() {
        validate(true);
        if (vocabSize <= 0) {
            throw new IllegalArgumentException("a language model needs vocabSize > 0 (token ids), got inputSize=" + inputSize);
        }
        require(tbpttLength >= 0, "tbpttLength", tbpttLength, ">= 0");
        require(tailShrink >= 1, "tailShrink", tailShrink, ">= 1");
        int[] cuts = effectiveCutoffs();
        String bad = VocabClusters.problem(vocabSize, cuts);
        if (bad != null) throw new IllegalArgumentException("cutoffs: " + bad);
        if (tieEmbeddings && embeddingSize != hiddenSize) {
            throw new IllegalArgumentException("tieEmbeddings needs embeddingSize = hiddenSize, got " + embeddingSize
                    + " and " + hiddenSize);
        }
        boolean own = softmax == OutputSoftmax.ADAPTIVE || tieEmbeddings;   // the project's vocabulary layers
        NeuralNetConfiguration.ListBuilder list = baseConfiguration().list();
        list.layer(tieEmbeddings
                ? new AdaptiveEmbedding.Builder().name("embedding").nIn(vocabSize).nOut(embeddingSize).cutoffs(cuts)
                        .tailShrink(tailShrink).tied(true).build()
                : embeddingLayer());
        long nIn = stackInputSize();
        for (int i = 0; i < layers; i++) {
            list.layer(recurrentLayer(i, nIn));
            nIn = hiddenSize;
        }
        double retain = dropoutRetain(true);
        if (own) {
            AdaptiveSoftmax.Builder out = new AdaptiveSoftmax.Builder().cutoffs(cuts).tailShrink(tailShrink)
                    .tied(tieEmbeddings);
            out.name("output").nIn(hiddenSize).nOut(vocabSize);
            if (retain < 1) out.dropOut(retain);
            list.layer(out.build());
        } else {
            RnnOutputLayer.Builder out = new RnnOutputLayer.Builder(sparseLabels ? new LossSparseMCXENT() : new LossMCXENT())
                    .name("output").nIn(hiddenSize).nOut(vocabSize).activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW);
            if (retain < 1) out.dropOut(retain);
            list.layer(out.build());
        }
        if (tbpttLength > 0) {
            list.backpropType(BackpropType.TruncatedBPTT).tBPTTForwardLength(tbpttLength).tBPTTBackwardLength(tbpttLength);
        }
        MultiLayerConfiguration conf = list.build();
        if (tieEmbeddings) {
            // the output layer finds the embedding's parameters this many elements before its own
            int last = conf.getConfs().size() - 1;
            long before = 0;
            for (int i = 0; i < last; i++) {
                NeuralNetConfiguration c = conf.getConf(i);
                before += c.getLayer().initializer().numParams(c);
            }
            AdaptiveSoftmax out = (AdaptiveSoftmax) conf.getConf(last).getLayer();
            out.setTiedOffset(before);
            out.validate();
        }
        return conf;
    }

    /** {@link #build()} as an initialised network. */
    public MultiLayerNetwork buildNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(build());
        net.init();
        return net;
    }
}
