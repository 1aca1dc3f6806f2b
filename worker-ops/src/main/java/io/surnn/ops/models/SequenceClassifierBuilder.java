package io.surnn.ops.models;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * One label per sequence: input → {@code rnn0..rnn<N-1>} → readout → {@code output} (softmax, MCXENT).
 *
 * <p>Input: token ids [B, T] through an {@code embedding} (set {@link #vocabSize}), or real-valued
 * features [B, inputSize, T] read directly by {@code rnn0} (set {@link #inputSize}); there is no
 * separate linear input projection because rnn0's input weights already are one (a linear map in
 * front of a linear map adds parameters, not expressiveness). A feature mask [B, T] marks real steps.
 * Labels are one-hot [B, numClasses].
 *
 * <p>Readout {@link Readout#MEAN} adds a {@code pool} layer (masked mean); {@link Readout#LAST} wraps
 * the last recurrent layer in DL4J's LastTimeStep (its name stays {@code rnn<N-1>}).
 */
public final class SequenceClassifierBuilder extends RecurrentModelBuilder<SequenceClassifierBuilder> {
    private int numClasses = 2;
    private Readout readout = Defaults.READOUT;

    public SequenceClassifierBuilder() {}

    public SequenceClassifierBuilder numClasses(int v) { numClasses = v; return this; }
    public SequenceClassifierBuilder readout(Readout v) { readout = v; return this; }

    public MultiLayerConfiguration build() {
        validate(true);
        require(numClasses >= 2, "numClasses", numClasses, ">= 2");
        NeuralNetConfiguration.ListBuilder list = baseConfiguration().list();
        if (vocabSize > 0) list.layer(embeddingLayer());
        long nIn = stackInputSize();
        for (int i = 0; i < layers; i++) {
            boolean last = i == layers - 1;
            org.deeplearning4j.nn.conf.layers.Layer rnn = recurrentLayer(i, nIn);
            list.layer(last && readout == Readout.LAST ? new LastTimeStep(rnn) : rnn);
            nIn = hiddenSize;
        }
        if (readout == Readout.MEAN) {
            list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").collapseDimensions(true).build());
        }
        OutputLayer.Builder out = new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .name("output").nIn(hiddenSize).nOut(numClasses).activation(Activation.SOFTMAX);
        double retain = dropoutRetain(true);
        if (retain < 1) out.dropOut(retain);
        list.layer(out.build());
        return list.build();
    }

    /** {@link #build()} as an initialised network. */
    public MultiLayerNetwork buildNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(build());
        net.init();
        return net;
    }
}
