package io.surnn.ops.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The two vertices that let one encoder read both documents of a pair. */
class PairVerticesTest {

    /** pair [B, F, 2T] → split [2B, F, T] → masked mean [2B, F] → dense tanh [2B, H] → [u,v,u⊙v,u−v] → softmax. */
    private static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).graphBuilder().addInputs("pair")
                .addVertex("split", new PairSplitVertex(), "pair")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).collapseDimensions(true).build(), "split")
                .addLayer("enc", new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build(), "pool")
                .addVertex("pairFeatures", new PairFeatureVertex(), "enc")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(2)
                        .activation(Activation.SOFTMAX).build(), "pairFeatures")
                .setOutputs("output").build();
        ComputationGraph g = new ComputationGraph(conf);
        g.init();
        return g;
    }

    @Test
    void pairFeaturesAreUVProductAndDifference() {
        ComputationGraph g = graph();
        INDArray a = Nd4j.rand(DataType.DOUBLE, 2, 3, 5);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 2, 3, 5);
        java.util.Map<String, INDArray> acts = g.feedForward(new INDArray[] {DualEncoderBuilder.stackPair(a, b)}, false);
        INDArray enc = acts.get("enc");                     // [2B, H]
        INDArray u = enc.get(NDArrayIndex.interval(0, 2), NDArrayIndex.all());
        INDArray v = enc.get(NDArrayIndex.interval(2, 4), NDArrayIndex.all());
        INDArray f = acts.get("pairFeatures");              // [B, 4H]
        assertEquals(Nd4j.hstack(u, v, u.mul(v), u.sub(v)), f);
        // the split put document a in rows 0..B-1 and b in rows B..2B-1
        assertEquals(a.mean(2), acts.get("pool").get(NDArrayIndex.interval(0, 2), NDArrayIndex.all()));
        assertEquals(b.mean(2), acts.get("pool").get(NDArrayIndex.interval(2, 4), NDArrayIndex.all()));
    }

    @Test
    void gradientCheckPassesThroughSplitAndPairFeaturesWithMasks() {
        DataType before = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
        try {
            checkGradients();
        } finally {
            Nd4j.setDefaultDataTypes(before, before);
        }
    }

    private static void checkGradients() {
        Nd4j.getRandom().setSeed(12);
        ComputationGraph g = graph();
        INDArray in = DualEncoderBuilder.stackPair(Nd4j.rand(DataType.DOUBLE, 3, 3, 4), Nd4j.rand(DataType.DOUBLE, 3, 3, 4));
        INDArray maskA = Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 0, 0, 0}});
        INDArray maskB = Nd4j.createFromArray(new double[][] {{1, 1, 1, 0}, {1, 1, 1, 1}, {1, 1, 0, 0}});
        INDArray labels = Nd4j.createFromArray(new double[][] {{1, 0}, {0, 1}, {0, 1}});
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(g)
                .inputs(new INDArray[] {in}).labels(new INDArray[] {labels})
                .inputMask(new INDArray[] {DualEncoderBuilder.stackPair(maskA, maskB)})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8));
        assertTrue(ok, "gradient check failed");
    }

    @Test
    void maskedStepsDoNotChangeThePooledEncoding() {
        ComputationGraph g = graph();
        INDArray a = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        INDArray b = Nd4j.rand(DataType.DOUBLE, 1, 3, 4);
        INDArray mask = DualEncoderBuilder.stackPair(Nd4j.createFromArray(new double[][] {{1, 1, 0, 0}}),
                Nd4j.ones(DataType.DOUBLE, 1, 4));
        INDArray out1 = g.output(false, new INDArray[] {DualEncoderBuilder.stackPair(a, b)}, new INDArray[] {mask})[0];
        a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(2, 4)).assign(100);
        INDArray out2 = g.output(false, new INDArray[] {DualEncoderBuilder.stackPair(a, b)}, new INDArray[] {mask})[0];
        assertEquals(out1, out2);
    }

    @Test
    void oddPairLengthAndMismatchedDocumentsAreRejected() {
        ComputationGraph g = graph();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.output(Nd4j.rand(DataType.DOUBLE, 2, 3, 5)));
        assertTrue(e.getMessage().contains("vertex 'split'") && e.getMessage().contains("odd length 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> DualEncoderBuilder.stackPair(Nd4j.zeros(2, 4), Nd4j.zeros(2, 5)));
        assertTrue(e.getMessage().contains("[2, 4] and [2, 5]"), e.getMessage());
    }
}
