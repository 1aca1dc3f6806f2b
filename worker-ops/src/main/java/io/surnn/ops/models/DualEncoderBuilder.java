package io.surnn.ops.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * A pair classifier (LRA Retrieval): one shared encoder reads both documents; the head classifies
 * [u, v, u⊙v, u−v] with an MLP.
 *
 * <p>Graph (ComputationGraph, one input named {@value #INPUT}):
 * <pre>
 *   pair [B, 2T] ids  (or [B, F, 2T] features)      ← {@link #stackPair}(first, second)
 *   → split         {@link PairSplitVertex}: [2B, T]
 *   → embedding     (ids only) [2B, E, T]
 *   → rnn0..rnnN-1  [2B, H, T]     (LAST readout: rnnN-1 is wrapped in LastTimeStep → [2B, H])
 *   → pool          (MEAN readout) masked mean [2B, H]
 *   → pairFeatures  {@link PairFeatureVertex}: [B, 4H]
 *   → mlp           dense ReLU [B, mlpSize]
 *   → output        softmax [B, numClasses]
 * </pre>
 * The driver feeds {@code stackPair(a, b)} as the features, {@code stackPair(maskA, maskB)} as the
 * feature mask ([B, 2T]), and one-hot labels [B, numClasses]. Both documents must be padded to the
 * same length T (pad with a masked-out id).
 */
public final class DualEncoderBuilder extends RecurrentModelBuilder<DualEncoderBuilder> {
    /** Name of the graph's only input. */
    public static final String INPUT = "pair";

    private int numClasses = 2;
    private int mlpSize = 128;
    private Readout readout = Defaults.READOUT;

    public DualEncoderBuilder() {}

    public DualEncoderBuilder numClasses(int v) { numClasses = v; return this; }
    /** Width of the hidden layer of the head. */
    public DualEncoderBuilder mlpSize(int v) { mlpSize = v; return this; }
    public DualEncoderBuilder readout(Readout v) { readout = v; return this; }

    /**
     * The input layout of the dual encoder: two batches of equal shape ([B, T] ids, [B, F, T]
     * features, or [B, T] masks) side by side along the time axis → [B, 2T] / [B, F, 2T].
     */
    public static INDArray stackPair(INDArray first, INDArray second) {
        if (!java.util.Arrays.equals(first.shape(), second.shape())) {
            throw new IllegalArgumentException("stackPair: both documents must have the same shape (pad to a common length);"
                    + " got " + java.util.Arrays.toString(first.shape()) + " and " + java.util.Arrays.toString(second.shape()));
        }
        return Nd4j.concat(first.rank() - 1, first, second); // [B, (F,) 2T]
    }

    public ComputationGraphConfiguration build() {
        validate(true);
        require(numClasses >= 2, "numClasses", numClasses, ">= 2");
        require(mlpSize >= 1, "mlpSize", mlpSize, ">= 1");
        ComputationGraphConfiguration.GraphBuilder g = baseConfiguration().graphBuilder().addInputs(INPUT);
        g.addVertex("split", new PairSplitVertex(), INPUT);
        String prev = "split";
        if (vocabSize > 0) {
            g.addLayer("embedding", embeddingLayer(), prev);
            prev = "embedding";
        }
        long nIn = stackInputSize();
        for (int i = 0; i < layers; i++) {
            Layer rnn = recurrentLayer(i, nIn);
            g.addLayer("rnn" + i, i == layers - 1 && readout == Readout.LAST ? new LastTimeStep(rnn) : rnn, prev);
            prev = "rnn" + i;
            nIn = hiddenSize;
        }
        if (readout == Readout.MEAN) {
            g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build(), prev);
            prev = "pool";
        }
        g.addVertex("pairFeatures", new PairFeatureVertex(), prev);
        double retain = dropoutRetain(true);
        DenseLayer.Builder mlp = new DenseLayer.Builder().nIn(4L * hiddenSize).nOut(mlpSize).activation(Activation.RELU);
        if (retain < 1) mlp.dropOut(retain);
        g.addLayer("mlp", mlp.build(), "pairFeatures");
        g.addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nIn(mlpSize).nOut(numClasses).activation(Activation.SOFTMAX).build(), "mlp");
        g.setOutputs("output");
        return g.build();
    }

    /** {@link #build()} as an initialised network. */
    public ComputationGraph buildNetwork() {
        ComputationGraph net = new ComputationGraph(build());
        net.init();
        return net;
    }
}
