package io.surnn.ops.layers.vocab;

import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.LanguageModelBuilder;
import io.surnn.ops.models.Optimizer;
import io.surnn.ops.models.OutputSoftmax;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vocabulary layers: gradients against finite differences in float64 (untied adaptive, tied full,
 * tied adaptive, with a padded sequence), the one-cluster case against DL4J's own softmax layer, the
 * distribution being exact and normalised, and tied parameters being one block through training,
 * serialisation and tBPTT.
 */
class VocabLayersTest {
    static final int V = 23;

    static LanguageModelBuilder lm(DataType type, OutputSoftmax sm, boolean tie, int... cutoffs) {
        LanguageModelBuilder b = new LanguageModelBuilder().vocabSize(V).embeddingSize(6).hiddenSize(6).layers(1)
                .cell(CellType.LSTM).dropout(0).seed(3).dataType(type).sparseLabels(true)
                .softmax(sm).tieEmbeddings(tie).tailShrink(2);
        if (sm == OutputSoftmax.ADAPTIVE) b.cutoffs(cutoffs);
        return b;
    }

    static MultiLayerNetwork net(LanguageModelBuilder b) {
        MultiLayerNetwork n = new MultiLayerNetwork(b.build());
        n.init();
        return n;
    }

    /** ids [B, 1, T] (features) and next ids [B, 1, T] (labels), a mask [B, T] padding the last example's tail. */
    static DataSet batch(DataType type, int b, int t, long seed, boolean pad) {
        Random r = new Random(seed);
        INDArray x = Nd4j.zeros(type, b, 1, t);
        INDArray y = Nd4j.zeros(type, b, 1, t);
        for (int i = 0; i < b; i++) {
            for (int s = 0; s < t; s++) {
                // a skewed draw so every cluster gets rows
                x.putScalar(i, 0, s, Math.min(V - 1, (int) Math.floor(V * Math.pow(r.nextDouble(), 2))));
                y.putScalar(i, 0, s, Math.min(V - 1, (int) Math.floor(V * Math.pow(r.nextDouble(), 2))));
            }
        }
        INDArray mask = null;
        if (pad) {
            mask = Nd4j.ones(type, b, t);
            mask.get(NDArrayIndex.point(b - 1), NDArrayIndex.interval(t - 2, t)).assign(0);
        }
        return new DataSet(x, y, mask, mask);
    }

    @ParameterizedTest(name = "{0} tied={1}")
    @CsvSource({"ADAPTIVE, false", "FULL, true", "ADAPTIVE, true"})
    void gradientsMatchFiniteDifferencesInFloat64(OutputSoftmax sm, boolean tie) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork net = net(lm(DataType.DOUBLE, sm, tie, 5, 12).optimizer(Optimizer.SGD).learningRate(1.0)
                .gradientClipping(GradientNormalization.None, 0));
        // biases start at zero; move them so their gradient paths are exercised away from symmetry
        net.params().addi(Nd4j.rand(DataType.DOUBLE, net.params().shape()).subi(0.5).muli(0.2));
        DataSet ds = batch(DataType.DOUBLE, 3, 5, 7, true);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net)
                .input(ds.getFeatures()).labels(ds.getLabels()).inputMask(ds.getFeaturesMaskArray())
                .labelMask(ds.getLabelsMaskArray()).epsilon(1e-6).maxRelError(1e-4).minAbsoluteError(1e-8));
        assertTrue(ok, sm + " tied=" + tie + ": gradient check failed");
    }

    @Test
    void oneClusterEqualsDl4jSoftmax() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork ref = net(lm(DataType.DOUBLE, OutputSoftmax.FULL, false));
        MultiLayerNetwork ours = net(lm(DataType.DOUBLE, OutputSoftmax.ADAPTIVE, false));   // no cut-offs: one cluster
        assertTrue(ours.getLayer(2) instanceof AdaptiveSoftmaxLayer);
        // same embedding and LSTM; output: DL4J's W [D, V] is our W0 transposed, biases equal
        ref.getLayer(0).setParams(ours.getLayer(0).params().dup());
        ref.getLayer(1).setParams(ours.getLayer(1).params().dup());
        ref.getLayer(2).getParam("W").assign(ours.getLayer(2).getParam("W0").transpose());
        ref.getLayer(2).getParam("b").assign(ours.getLayer(2).getParam("b0"));
        DataSet ds = batch(DataType.DOUBLE, 4, 6, 11, true);
        INDArray a = ref.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        INDArray b = ours.output(ds.getFeatures(), false, ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        assertEquals(0, a.sub(b).amaxNumber().doubleValue(), 1e-12, "distributions differ");
        assertEquals(ref.score(ds), ours.score(ds), 1e-10, "scores differ");
        ref.setInput(ds.getFeatures());
        ref.setLabels(ds.getLabels());
        ref.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        ref.computeGradientAndScore();
        ours.setInput(ds.getFeatures());
        ours.setLabels(ds.getLabels());
        ours.setLayerMaskArrays(ds.getFeaturesMaskArray(), ds.getLabelsMaskArray());
        ours.computeGradientAndScore();
        assertEquals(ref.score(), ours.score(), 1e-10);
        INDArray gRef = ref.gradient().gradientForVariable().get("1_W");
        INDArray gOurs = ours.gradient().gradientForVariable().get("1_W");
        assertEquals(0, gRef.sub(gOurs).amaxNumber().doubleValue(), 1e-12, "LSTM gradient (through the output layer's dL/dx) differs");
        assertEquals(0, ref.gradient().gradientForVariable().get("2_W").transpose()
                .sub(ours.gradient().gradientForVariable().get("2_W0")).amaxNumber().doubleValue(), 1e-12);
    }

    @ParameterizedTest(name = "tied={0}")
    @CsvSource({"false", "true"})
    void adaptiveDistributionIsExactAndNormalised(boolean tie) {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        MultiLayerNetwork net = net(lm(DataType.DOUBLE, OutputSoftmax.ADAPTIVE, tie, 4, 9, 15));
        DataSet ds = batch(DataType.DOUBLE, 3, 7, 5, false);
        INDArray p = net.output(ds.getFeatures());                           // [B, V, T]
        INDArray sums = p.sum(1);
        assertEquals(0, sums.sub(1.0).amaxNumber().doubleValue(), 1e-12, "rows do not sum to 1");
        double nll = 0;
        for (int i = 0; i < 3; i++) {
            for (int t = 0; t < 7; t++) {
                nll -= Math.log(p.getDouble(i, (long) ds.getLabels().getDouble(i, 0, t), t));
            }
        }
        assertEquals(nll / 3, net.score(ds), 1e-10, "score is not the mean over examples of the summed -log p");
    }

    @Test
    void tiedParametersAreOneBlockAndTrainingMovesThem() throws Exception {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        LanguageModelBuilder b = lm(DataType.FLOAT, OutputSoftmax.ADAPTIVE, true, 5, 12).learningRate(0.05).tbpttLength(4);
        MultiLayerNetwork net = net(b);
        MultiLayerNetwork untied = net(lm(DataType.FLOAT, OutputSoftmax.ADAPTIVE, false, 5, 12));
        assertTrue(net.numParams() < untied.numParams(), "tying must remove parameters");
        assertEquals(untied.getLayer(2).numParams() - net.getLayer(2).numParams(), net.getLayer(0).numParams(),
                "the output layer's tied share is exactly the adaptive embedding's parameters");
        DataSet ds = batch(DataType.FLOAT, 4, 12, 9, false);
        double first = net.score(ds);
        for (int i = 0; i < 60; i++) net.fit(ds);
        double last = net.score(ds);
        assertTrue(last < first - 0.5, "did not learn: " + first + " -> " + last);
        // serialisation keeps the tie (one block, read from the same place)
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, bytes, false);
        MultiLayerNetwork back = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes.toByteArray()), false);
        assertEquals(0, net.output(ds.getFeatures()).sub(back.output(ds.getFeatures())).amaxNumber().doubleValue(), 0.0);
        assertEquals(MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson()), net.getLayerWiseConfigurations());
        // the output reads the embedding's E0: changing it changes the output
        INDArray before = back.output(ds.getFeatures());
        back.getLayer(0).getParam("E0").muli(2);
        assertTrue(back.output(ds.getFeatures()).sub(before).amaxNumber().doubleValue() > 1e-4);
    }

    @Test
    void badSettingsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> lm(DataType.FLOAT, OutputSoftmax.ADAPTIVE, false, 5, 5).build());
        assertTrue(e.getMessage().contains("cut-offs must increase strictly"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> lm(DataType.FLOAT, OutputSoftmax.ADAPTIVE, false, 5, 23).build());
        assertTrue(e.getMessage().contains("23 is out of place"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> lm(DataType.FLOAT, OutputSoftmax.FULL, true).embeddingSize(4).build());
        assertTrue(e.getMessage().contains("embeddingSize = hiddenSize"), e.getMessage());
        MultiLayerNetwork net = net(lm(DataType.FLOAT, OutputSoftmax.ADAPTIVE, false, 5));
        DataSet ds = batch(DataType.FLOAT, 2, 3, 1, false);
        ds.getLabels().putScalar(1, 0, 2, V + 4);
        e = assertThrows(IllegalArgumentException.class, () -> net.fit(ds));
        assertTrue(e.getMessage().contains("label 27 at (example 1, step 2)"), e.getMessage());
    }

    @Test
    void autoCutoffsFollowTheVocabularySize() {
        assertArrayEquals(new int[] {2100, 8300}, VocabClusters.autoCutoffs(33_278));
        assertArrayEquals(new int[] {16700, 66900}, VocabClusters.autoCutoffs(267_735));
        assertArrayEquals(new int[0], VocabClusters.autoCutoffs(50));
        VocabClusters g = new VocabClusters(33_278, 400, VocabClusters.autoCutoffs(33_278), 4);
        assertEquals(2102, g.headSize());
        assertEquals(100, g.dim(1));
        assertEquals(25, g.dim(2));
        assertEquals(2, g.clusterOf(33_277));
    }
}
