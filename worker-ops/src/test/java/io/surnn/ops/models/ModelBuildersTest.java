package io.surnn.ops.models;

import io.surnn.ops.layers.CellType;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.surnn.ops.gate.GateMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Every builder: trains one step, round-trips JSON, has the parameter count the layer shapes imply. */
class ModelBuildersTest {
    static final int V = 11, E = 6, H = 8, T = 12, B = 3, K = 4;

    /** Parameters of one recurrent layer reading {@code in} features, from the documented shapes. */
    static long rnnParams(CellType cell, long in) {
        long gate = H + 2L * H * K + K; // gb [1,H], galpha [H,K], gphi [H,K], gomega [1,K]
        switch (cell) {
            case SURNN: return in * H + (long) H * H + H + gate;
            case SUGRU: return in * 3 * H + 3L * H * H + 4L * H + gate;          // b = [b_r, b_z, b_n, b_hn]
            case SULSTM: return in * 4 * H + 4L * H * H + 4L * H + gate;
            case LSTM: return in * 4 * H + 4L * H * H + 4L * H;                  // DL4J LSTM, no peepholes
            default: throw new IllegalStateException();
        }
    }

    /**
     * The builder defaults these tests were written against: one layer, no dropout, surrogate width 0.3
     * (the builders now start from {@link Defaults}, reference.conf's values); later setters override.
     */
    static <B extends RecurrentModelBuilder<B>> B asWritten(B b) {
        return b.layers(1).dropout(0.0).surrogateWidth(0.3);
    }

    static INDArray ids(long seed) {
        Nd4j.getRandom().setSeed(seed);
        return Nd4j.rand(DataType.FLOAT, B, T).muli(V - 0.01).castTo(DataType.INT32).castTo(DataType.FLOAT); // [B, T]
    }

    static INDArray oneHotSeq(long seed) {
        INDArray next = ids(seed + 1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, B, V, T);
        for (int b = 0; b < B; b++) for (int t = 0; t < T; t++) y.putScalar(new long[] {b, next.getInt(b, t), t}, 1f);
        return y;
    }

    static INDArray classLabels(int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, B, classes);
        for (int b = 0; b < B; b++) y.putScalar(b, b % classes, 1f);
        return y;
    }

    static void assertParamsChanged(INDArray before, org.deeplearning4j.nn.api.Model net) {
        assertTrue(!before.equals(net.params()), "a training step left every parameter unchanged");
    }

    @ParameterizedTest
    @EnumSource(CellType.class)
    void languageModelTrainsOneStepRoundTripsJsonAndCountsParams(CellType cell) {
        LanguageModelBuilder b = asWritten(new LanguageModelBuilder()).cell(cell).vocabSize(V).embeddingSize(E).hiddenSize(H)
                .layers(2).dropout(0.1).learningRate(1e-2).seed(5);
        MultiLayerConfiguration conf = b.build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = b.buildNetwork();
        assertEquals((long) V * E + rnnParams(cell, E) + rnnParams(cell, H) + (long) H * V + V, net.numParams());
        INDArray before = net.params().dup();
        net.fit(ids(1), oneHotSeq(1));
        assertTrue(Double.isFinite(net.score()) && net.score() > 0, "score " + net.score());
        assertParamsChanged(before, net);
        INDArray out = net.output(ids(2));
        assertEquals(B, out.size(0));
        assertEquals(V, out.size(1));
        assertEquals(T, out.size(2));
        MultiLayerNetwork copy = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(conf.toJson()));
        copy.init(net.params().dup(), false);
        assertEquals(out, copy.output(ids(2)));
    }

    @Test
    void languageModelWithTruncatedBpttTrainsOnLongSequences() {
        MultiLayerNetwork net = asWritten(new LanguageModelBuilder()).vocabSize(V).embeddingSize(E).hiddenSize(H).tbpttLength(4)
                .seed(3).buildNetwork();
        assertEquals(4, net.getLayerWiseConfigurations().getTbpttFwdLength());
        INDArray before = net.params().dup();
        INDArray x = ids(3).reshape(B, 1, T); // tBPTT needs rank-3 input: ids as [B, 1, T]
        net.fit(x, oneHotSeq(3));
        assertTrue(Double.isFinite(net.score()));
        assertParamsChanged(before, net);
    }

    @Test
    void languageModelWithSparseLabelsGivesTheOneHotLoss() {
        LanguageModelBuilder b = asWritten(new LanguageModelBuilder()).vocabSize(V).embeddingSize(E).hiddenSize(H).seed(6);
        MultiLayerNetwork oneHot = b.buildNetwork();
        MultiLayerNetwork sparse = b.sparseLabels(true).buildNetwork();
        assertEquals(oneHot.params(), sparse.params());
        INDArray y = oneHotSeq(7);                      // [B, V, T]
        INDArray idx = y.argMax(1).castTo(DataType.FLOAT).reshape(B, 1, T); // [B, 1, T]
        double expected = oneHot.score(new org.nd4j.linalg.dataset.DataSet(ids(7), y));
        assertEquals(expected, sparse.score(new org.nd4j.linalg.dataset.DataSet(ids(7), idx)), 1e-5);
    }

    @ParameterizedTest
    @EnumSource(GateMode.class)
    void classifierBuildsEveryGateModeAtEqualWidth(GateMode mode) {
        MultiLayerNetwork net = asWritten(new SequenceClassifierBuilder()).gateMode(mode).vocabSize(V).embeddingSize(E).hiddenSize(H)
                .numClasses(3).seed(2).buildNetwork();
        assertEquals((long) V * E + rnnParams(CellType.SUGRU, E) + (long) H * 3 + 3, net.numParams());
        INDArray before = net.params().dup();
        net.fit(ids(4), classLabels(3));
        assertTrue(Double.isFinite(net.score()));
        assertParamsChanged(before, net);
        assertTrue(UpdateRates.of(net).containsKey("rnn0"));
    }

    @ParameterizedTest
    @EnumSource(Readout.class)
    void classifierOnFeaturesIgnoresMaskedStepsAndRoundTripsJson(Readout readout) {
        SequenceClassifierBuilder b = asWritten(new SequenceClassifierBuilder()).inputSize(2).hiddenSize(H).layers(2).numClasses(4)
                .readout(readout).seed(9);
        MultiLayerConfiguration conf = b.build();
        assertEquals(conf, MultiLayerConfiguration.fromJson(conf.toJson()));
        MultiLayerNetwork net = b.buildNetwork();
        assertEquals(rnnParams(CellType.SUGRU, 2) + rnnParams(CellType.SUGRU, H) + (long) H * 4 + 4, net.numParams());
        INDArray x = Nd4j.rand(DataType.FLOAT, B, 2, T);
        INDArray mask = Nd4j.ones(DataType.FLOAT, B, T);
        mask.get(NDArrayIndex.point(1), NDArrayIndex.interval(7, T)).assign(0); // example 1 has 7 real steps
        INDArray out1 = net.output(x, false, mask, null);
        x.get(NDArrayIndex.point(1), NDArrayIndex.all(), NDArrayIndex.interval(7, T)).assign(50);
        INDArray out2 = net.output(x, false, mask, null);
        assertTrue(out1.equalsWithEps(out2, 1e-6), "padding changed the output: " + out1 + " vs " + out2);
        INDArray before = net.params().dup();
        net.fit(new org.nd4j.linalg.dataset.DataSet(x, classLabels(4), mask, null));
        assertParamsChanged(before, net);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SUGRU", "LSTM"})
    void dualEncoderSharesOneEncoderTrainsAndRoundTripsJson(CellType cell) {
        DualEncoderBuilder b = asWritten(new DualEncoderBuilder()).cell(cell).vocabSize(V).embeddingSize(E).hiddenSize(H).mlpSize(5)
                .seed(4);
        ComputationGraphConfiguration conf = b.build();
        assertEquals(conf, ComputationGraphConfiguration.fromJson(conf.toJson()));
        ComputationGraph net = b.buildNetwork();
        // one embedding and one encoder for both documents; head: [4H → 5] + [5 → 2]
        assertEquals((long) V * E + rnnParams(cell, E) + (4L * H * 5 + 5) + (5L * 2 + 2), net.numParams());
        INDArray pair = DualEncoderBuilder.stackPair(ids(5), ids(6)); // [B, 2T]
        INDArray before = net.params().dup();
        net.fit(new INDArray[] {pair}, new INDArray[] {classLabels(2)});
        assertTrue(Double.isFinite(net.score()));
        assertParamsChanged(before, net);
        // swapping the documents changes u−v's sign only: the output generally differs, but both are valid
        INDArray out = net.outputSingle(pair);
        assertEquals(B, out.size(0));
        ComputationGraph copy = new ComputationGraph(ComputationGraphConfiguration.fromJson(conf.toJson()));
        copy.init(net.params().dup(), false);
        assertEquals(out, copy.outputSingle(pair));
    }

    @ParameterizedTest
    @EnumSource(Readout.class)
    void dualEncoderOnFeaturesIgnoresEachDocumentsPadding(Readout readout) {
        ComputationGraph net = asWritten(new DualEncoderBuilder()).inputSize(2).hiddenSize(H).mlpSize(5).readout(readout).seed(8)
                .buildNetwork();
        INDArray a = Nd4j.rand(DataType.FLOAT, B, 2, T);
        INDArray c = Nd4j.rand(DataType.FLOAT, B, 2, T);
        INDArray maskA = Nd4j.ones(DataType.FLOAT, B, T);
        INDArray maskC = Nd4j.ones(DataType.FLOAT, B, T);
        maskA.get(NDArrayIndex.point(0), NDArrayIndex.interval(5, T)).assign(0);
        maskC.get(NDArrayIndex.point(2), NDArrayIndex.interval(9, T)).assign(0);
        INDArray mask = DualEncoderBuilder.stackPair(maskA, maskC);
        INDArray out1 = net.output(false, new INDArray[] {DualEncoderBuilder.stackPair(a, c)}, new INDArray[] {mask})[0];
        a.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(5, T)).assign(-30);
        c.get(NDArrayIndex.point(2), NDArrayIndex.all(), NDArrayIndex.interval(9, T)).assign(30);
        INDArray out2 = net.output(false, new INDArray[] {DualEncoderBuilder.stackPair(a, c)}, new INDArray[] {mask})[0];
        assertTrue(out1.equalsWithEps(out2, 1e-6), "padding changed the output: " + out1 + " vs " + out2);
        // and the real steps do matter
        a.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(0, 5)).assign(3);
        INDArray out3 = net.output(false, new INDArray[] {DualEncoderBuilder.stackPair(a, c)}, new INDArray[] {mask})[0];
        assertTrue(!out1.getRow(0).equalsWithEps(out3.getRow(0), 1e-6), "real steps of document a were ignored");
    }

    @Test
    void builtLayersCarryTheRequestedGateSettings() {
        MultiLayerConfiguration conf = asWritten(new SequenceClassifierBuilder()).vocabSize(V).hiddenSize(H).gateMode(GateMode.FIXED)
                .harmonics(3).initialUpdateRate(0.3).sparse(false).surrogateWidth(0.5).build();
        io.surnn.ops.layers.conf.SuLayerConf su = (io.surnn.ops.layers.conf.SuLayerConf) conf.getConf(1).getLayer();
        assertEquals("rnn0", su.getLayerName());
        assertEquals(GateMode.FIXED, su.getGateMode());
        assertEquals(3, su.getHarmonics());
        assertEquals(0.3, su.getInitialUpdateRate());
        assertEquals(0.5, su.getSurrogateWidth());
        assertEquals(false, su.isSparse());
    }

    @Test
    void unsetKnobsTakeTheDefaultsConstants() {
        SequenceClassifierBuilder b = new SequenceClassifierBuilder().vocabSize(V);
        assertEquals(Defaults.CELL, b.cell());
        assertEquals(Defaults.HIDDEN_SIZE, b.hiddenSize());
        assertEquals(Defaults.LAYERS, b.layers());
        MultiLayerConfiguration conf = b.build();
        assertEquals(Defaults.EMBEDDING_SIZE, ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) conf.getConf(0).getLayer()).getNOut());
        io.surnn.ops.layers.conf.SuLayerConf last = (io.surnn.ops.layers.conf.SuLayerConf) conf.getConf(Defaults.LAYERS).getLayer();
        assertEquals("rnn" + (Defaults.LAYERS - 1), last.getLayerName());
        assertEquals(Defaults.GATE_MODE, last.getGateMode());
        assertEquals(Defaults.HARMONICS, last.getHarmonics());
        assertEquals(Defaults.SURROGATE, last.getSurrogate());
        assertEquals(Defaults.SURROGATE_WIDTH, last.getSurrogateWidth());
        assertEquals(Defaults.INITIAL_UPDATE_RATE, last.getInitialUpdateRate());
        assertEquals(Defaults.SPARSE, last.isSparse());
        assertEquals(1 - Defaults.DROPOUT, ((org.deeplearning4j.nn.conf.dropout.Dropout) last.getIDropout()).getP(), 1e-12);
        assertEquals(Defaults.SEED, conf.getConf(0).getSeed());
    }

    @Test
    void badKnobsAreRejectedNamingKeyAndValue() {
        assertEquals("hiddenSize must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new SequenceClassifierBuilder().vocabSize(V).hiddenSize(0).build()).getMessage());
        assertEquals("dropout must be in [0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> new LanguageModelBuilder().vocabSize(V).dropout(1.0).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SequenceClassifierBuilder().build())
                .getMessage().startsWith("set exactly one of vocabSize"));
        assertEquals("tieEmbeddings needs embeddingSize = hiddenSize, got 64 and 128", assertThrows(
                IllegalArgumentException.class, () -> new LanguageModelBuilder().vocabSize(V).embeddingSize(64)
                        .hiddenSize(128).tieEmbeddings(true).build()).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new LanguageModelBuilder().vocabSize(V).weightDecay(0.1).build()).getMessage()
                .startsWith("weightDecay 0.1 is only used by optimizer ADAMW"));
        assertEquals("unknown cell type 'gru' (expected one of surnn, sugru, sulstm, lstm)",
                assertThrows(IllegalArgumentException.class, () -> CellType.parse("gru")).getMessage());
    }

    @Test
    void adamwAppliesDecoupledWeightDecayToWeights() {
        MultiLayerConfiguration conf = asWritten(new LanguageModelBuilder()).vocabSize(V).optimizer(Optimizer.ADAMW).weightDecay(0.01)
                .build();
        org.deeplearning4j.nn.conf.layers.BaseLayer out = (org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getConf(2).getLayer();
        assertTrue(out.getRegularization().stream().anyMatch(r -> r instanceof org.nd4j.linalg.learning.regularization.WeightDecay),
                "regularisation: " + out.getRegularization());
    }
}
