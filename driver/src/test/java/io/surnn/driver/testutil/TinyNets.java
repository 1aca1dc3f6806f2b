package io.surnn.driver.testutil;

import io.surnn.driver.data.Record;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small DL4J networks and synthetic records for driver tests (no worker-ops model needed). */
public final class TinyNets {
    private TinyNets() {}

    /** Embedding → LSTM → mean pooling → softmax classifier; Adam(lr). */
    public static MultiLayerNetwork classifier(int vocab, int classes, double lr, long seed) {
        return classifier(vocab, classes, lr, seed, 0);
    }

    /** The same classifier with an L2 penalty of {@code l2} on the weights (0: none). */
    public static MultiLayerNetwork classifier(int vocab, int classes, double lr, long seed, double l2) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(seed).updater(new Adam(lr)).weightInit(WeightInit.XAVIER).l2(l2)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(vocab).nOut(8).build())
                .layer(new LSTM.Builder().nIn(8).nOut(12).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX)
                        .nIn(12).nOut(classes).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /**
     * Variable-length sequences over ids [1, vocab) whose label is (first id) mod classes: learnable
     * by a small LSTM, so a falling loss means training works.
     */
    public static List<Record> records(int n, int vocab, int classes, long seed) {
        Random rnd = new Random(seed);
        List<Record> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = 3 + rnd.nextInt(6);
            int[] tok = new int[len];
            for (int s = 0; s < len; s++) {
                tok[s] = 1 + rnd.nextInt(vocab - 1);
            }
            out.add(Record.classification(i, tok, tok[0] % classes));
        }
        return out;
    }
}
