package io.surnn.ops.models;

import io.surnn.ops.layers.CellType;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.conf.SuGru;
import io.surnn.ops.layers.conf.SuLayerConf;
import io.surnn.ops.layers.conf.SuLstm;
import io.surnn.ops.layers.conf.SuRnn;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * The knobs every model family shares, with their defaults taken from {@link Defaults} (the gate
 * settings through the su-layer's own builder, which reads the same constants), and the two pieces
 * every family assembles the same way: the network-wide configuration ({@link #baseConfiguration()})
 * and one layer of the recurrent stack ({@link #recurrentLayer}).
 *
 * <p>Layers are named so that parameter export (the driver's NpzParams) gives stable names:
 * {@code embedding}, {@code rnn0 .. rnn<N-1>}, then the family's head layers.
 *
 * @param <B> the concrete builder, so fluent setters return it
 */
public abstract class RecurrentModelBuilder<B extends RecurrentModelBuilder<B>> {
    // ---- defaults: Defaults states them once ------------------------------------------------
    protected CellType cell = Defaults.CELL;
    // Gate settings: null = the su-layer builder's own default (also from Defaults).
    protected GateMode gateMode;
    protected Integer harmonics;
    protected Surrogate surrogate;
    protected Double surrogateWidth;
    protected Double initialUpdateRate;
    protected Boolean sparse;
    protected int vocabSize = 0;          // > 0: the input is token ids [B, T] through an embedding
    protected int inputSize = 0;          // > 0: the input is real-valued features [B, inputSize, T]
    protected int embeddingSize = Defaults.EMBEDDING_SIZE;
    protected int hiddenSize = Defaults.HIDDEN_SIZE;
    protected int layers = Defaults.LAYERS;
    protected double dropout = Defaults.DROPOUT; // drop probability on the input of every layer after the embedding
    protected long seed = Defaults.SEED;
    protected Optimizer optimizer = Defaults.OPTIMIZER;
    protected double learningRate = Defaults.LEARNING_RATE;
    protected double weightDecay = Defaults.WEIGHT_DECAY; // decoupled; used by ADAMW only
    protected double l2 = 0.0;            // coupled L2 (the driver passes train.optimizer.weight-decay here for ADAM)
    protected GradientNormalization gradientNormalization = GradientNormalization.ClipL2PerLayer;
    protected double gradientClip = Defaults.GRADIENT_CLIP;
    protected DataType dataType = DataType.FLOAT;

    @SuppressWarnings("unchecked")
    protected final B self() {
        return (B) this;
    }

    public B cell(CellType v) { cell = v; return self(); }
    public B gateMode(GateMode v) { gateMode = v; return self(); }
    public B harmonics(int v) { harmonics = v; return self(); }
    public B surrogate(Surrogate v) { surrogate = v; return self(); }
    public B surrogateWidth(double v) { surrogateWidth = v; return self(); }
    /** The gate's initial update rate p0 (the expected fraction of open neurons per step at init). */
    public B initialUpdateRate(double v) { initialUpdateRate = v; return self(); }
    /** Whether the su-layers use the sparse (open-rows-only) kernels; false computes every row. */
    public B sparse(boolean v) { sparse = v; return self(); }
    /** Token-id input with this vocabulary size (clears {@link #inputSize}). */
    public B vocabSize(int v) { vocabSize = v; inputSize = 0; return self(); }
    /** Real-valued feature input of this size per step (clears {@link #vocabSize}). */
    public B inputSize(int v) { inputSize = v; vocabSize = 0; return self(); }
    public B embeddingSize(int v) { embeddingSize = v; return self(); }
    public B hiddenSize(int v) { hiddenSize = v; return self(); }
    /** Number of recurrent layers. */
    public B layers(int v) { layers = v; return self(); }
    /** Drop probability (not DL4J's retain probability); 0 disables dropout. */
    public B dropout(double v) { dropout = v; return self(); }
    public B seed(long v) { seed = v; return self(); }
    public B optimizer(Optimizer v) { optimizer = v; return self(); }
    public B learningRate(double v) { learningRate = v; return self(); }
    public B weightDecay(double v) { weightDecay = v; return self(); }
    public B l2(double v) { l2 = v; return self(); }
    /** Clipping rule and threshold; {@code GradientNormalization.None} disables clipping. */
    public B gradientClipping(GradientNormalization rule, double threshold) {
        gradientNormalization = rule;
        gradientClip = threshold;
        return self();
    }
    public B dataType(DataType v) { dataType = v; return self(); }

    public CellType cell() { return cell; }
    public int hiddenSize() { return hiddenSize; }
    public int layers() { return layers; }

    /** Checks the shared knobs; families add their own checks. */
    protected void validate(boolean inputRequired) {
        require(hiddenSize >= 1, "hiddenSize", hiddenSize, ">= 1");
        require(layers >= 1, "layers", layers, ">= 1");
        require(dropout >= 0 && dropout < 1, "dropout", dropout, "in [0, 1)");
        require(learningRate > 0 && Double.isFinite(learningRate), "learningRate", learningRate, "> 0");
        require(weightDecay >= 0, "weightDecay", weightDecay, ">= 0");
        require(l2 >= 0, "l2", l2, ">= 0");
        // gate settings are checked by the su-layer's own builder, with the layer's name in the message
        require(gradientNormalization == GradientNormalization.None || gradientClip > 0,
                "gradientClip", gradientClip, "> 0 when clipping is on");
        if (weightDecay > 0 && optimizer != Optimizer.ADAMW) {
            throw new IllegalArgumentException("weightDecay " + weightDecay + " is only used by optimizer ADAMW, not "
                    + optimizer + " (use l2 for coupled regularisation)");
        }
        if (inputRequired && (vocabSize > 0) == (inputSize > 0)) {
            throw new IllegalArgumentException("set exactly one of vocabSize (token ids) or inputSize (features); got vocabSize="
                    + vocabSize + ", inputSize=" + inputSize);
        }
        if (vocabSize > 0) require(embeddingSize >= 1, "embeddingSize", embeddingSize, ">= 1");
    }

    protected static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) throw new IllegalArgumentException(key + " must be " + rule + ", got " + value);
    }

    /** Seed, updater, regularisation, clipping, data type and weight init shared by every layer. */
    protected NeuralNetConfiguration.Builder baseConfiguration() {
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType)
                .weightInit(WeightInit.XAVIER)
                .updater(updater())
                .gradientNormalization(gradientNormalization);
        if (gradientNormalization != GradientNormalization.None) b.gradientNormalizationThreshold(gradientClip);
        if (l2 > 0) b.l2(l2);
        if (optimizer == Optimizer.ADAMW && weightDecay > 0) b.weightDecay(weightDecay, true);
        return b;
    }

    private IUpdater updater() {
        return optimizer == Optimizer.SGD ? new Sgd(learningRate) : new Adam(learningRate);
    }

    /** Size of what the first recurrent layer reads. */
    protected long stackInputSize() {
        return vocabSize > 0 ? embeddingSize : inputSize;
    }

    /** The token-embedding layer ("embedding"): ids [B, T] → [B, embeddingSize, T]. */
    protected Layer embeddingLayer() {
        return new EmbeddingSequenceLayer.Builder().name("embedding").nIn(vocabSize).nOut(embeddingSize)
                .hasBias(false).inferInputLength(true).outputDataFormat(RNNFormat.NCW).build();
    }

    /**
     * Recurrent layer {@code i} of the stack ("rnn&lt;i&gt;"), reading {@code nIn} features per step, exactly
     * as {@code build()} creates it (also used alone, e.g. by the benchmark).
     */
    public Layer recurrentLayer(int i, long nIn) {
        double retain = dropoutRetain(i > 0 || vocabSize > 0);
        if (cell == CellType.LSTM) {
            LSTM.Builder b = new LSTM.Builder().name("rnn" + i).nIn(nIn).nOut(hiddenSize).activation(Activation.TANH);
            if (retain < 1) b.dropOut(retain);
            return b.build();
        }
        SuLayerConf.Builder<?> b;
        switch (cell) {
            case SURNN: b = new SuRnn.Builder(); break;
            case SUGRU: b = new SuGru.Builder(); break;
            case SULSTM: b = new SuLstm.Builder(); break;
            default: throw new IllegalStateException("unhandled cell " + cell);
        }
        if (gateMode != null) b.gateMode(gateMode);
        if (harmonics != null) b.harmonics(harmonics);
        if (surrogate != null) b.surrogate(surrogate);
        if (surrogateWidth != null) b.surrogateWidth(surrogateWidth);
        if (initialUpdateRate != null) b.initialUpdateRate(initialUpdateRate);
        if (sparse != null) b.sparse(sparse);
        b.gateSeed(seed + 7919L * (i + 1)).name("rnn" + i).nIn(nIn).nOut(hiddenSize);
        if (retain < 1) b.dropOut(retain);
        return b.build();
    }

    /** DL4J's retain probability for a layer's input; dropout applies only after the embedding/first layer. */
    protected double dropoutRetain(boolean applies) {
        return applies && dropout > 0 ? 1.0 - dropout : 1.0;
    }
}
