package io.surnn.driver.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class NpzParamsTest {

    @TempDir Path dir;

    private static MultiLayerNetwork net(long seed, DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(type)
                .updater(new Adam(1e-2)).list()
                .layer(new EmbeddingSequenceLayer.Builder().name("embedding").nIn(7).nOut(5).hasBias(false).build())
                .layer(new LSTM.Builder().name("rnn0").nIn(5).nOut(6).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("output").nIn(6).nOut(7)
                        .activation(Activation.SOFTMAX).dataFormat(RNNFormat.NCW).build())
                .build();
        MultiLayerNetwork n = new MultiLayerNetwork(conf);
        n.init();
        return n;
    }

    private static INDArray ids() {
        return Nd4j.createFromArray(new float[][] {{1, 2, 3, 4}, {6, 5, 0, 1}}); // [2, 4]
    }

    @Test
    void roundTripIsBitwiseEqualAndGivesEqualOutputs() throws Exception {
        MultiLayerNetwork a = net(1, DataType.FLOAT);
        MultiLayerNetwork b = net(2, DataType.FLOAT);
        assertNotEquals(a.params(), b.params());
        Path f = dir.resolve("p.npz");
        NpzParams.save(a, f);
        NpzParams.load(f, b);
        assertArrayEquals(a.params().data().asFloat(), b.params().data().asFloat());
        assertEquals(a.output(ids()), b.output(ids()));
    }

    @Test
    void namesFollowLayerIndexNameAndKeyWithLogicalShapes() throws Exception {
        MultiLayerNetwork a = net(1, DataType.DOUBLE);
        Path f = dir.resolve("p.npz");
        NpzParams.save(a, f);
        Map<String, INDArray> read = NpzParams.readArrays(f);
        assertEquals(java.util.List.of("layer0_embedding/W", "layer1_rnn0/W", "layer1_rnn0/RW", "layer1_rnn0/b",
                "layer2_output/W", "layer2_output/b"), new java.util.ArrayList<>(read.keySet()));
        assertArrayEquals(new long[] {5, 24}, read.get("layer1_rnn0/W").shape()); // [nIn, 4H]
        assertEquals(DataType.DOUBLE, read.get("layer1_rnn0/W").dataType());
        // the logical matrix, whatever DL4J's internal ordering
        assertEquals(a.getLayer(1).getParam("W"), read.get("layer1_rnn0/W"));
    }

    @Test
    void adaptiveTiedLanguageModelExportsEachMatrixOnceUnderItsOwnName() throws Exception {
        MultiLayerNetwork a = new MultiLayerNetwork(new io.surnn.ops.models.LanguageModelBuilder().vocabSize(40)
                .embeddingSize(8).hiddenSize(8).layers(1).cell(io.surnn.ops.layers.CellType.LSTM).dropout(0).seed(2)
                .softmax(io.surnn.ops.models.OutputSoftmax.ADAPTIVE).cutoffs(10, 25).tailShrink(2)
                .tieEmbeddings(true).build());
        a.init();
        Path f = dir.resolve("adaptive.npz");
        NpzParams.save(a, f);
        Map<String, INDArray> read = NpzParams.readArrays(f);
        assertEquals(java.util.List.of("layer0_embedding/E0", "layer0_embedding/E1", "layer0_embedding/P1",
                "layer0_embedding/E2", "layer0_embedding/P2", "layer1_rnn0/W", "layer1_rnn0/RW", "layer1_rnn0/b",
                "layer2_output/C", "layer2_output/b0", "layer2_output/b1", "layer2_output/b2"),
                new java.util.ArrayList<>(read.keySet()));
        assertArrayEquals(new long[] {10, 8}, read.get("layer0_embedding/E0").shape());   // head words x width
        assertArrayEquals(new long[] {15, 4}, read.get("layer0_embedding/E1").shape());   // tail 1: width 8/2
        assertArrayEquals(new long[] {2, 8}, read.get("layer0_embedding/P2").shape());    // tail 2: 8/4 -> 8
        assertArrayEquals(new long[] {1, 12}, read.get("layer2_output/b0").shape());      // head words + 2 clusters
        MultiLayerNetwork b = a.clone();
        b.params().assign(0);
        NpzParams.load(f, b);
        assertEquals(a.output(Nd4j.createFromArray(new float[][][] {{{3, 17, 39}}})),
                b.output(Nd4j.createFromArray(new float[][][] {{{3, 17, 39}}})));
    }

    @Test
    void npyHeaderIsNumpyVersion1WithAlignedHeaderAndCOrderData() throws Exception {
        INDArray m = Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}).dup('f');
        byte[] npy = NpzParams.encode(m);
        assertEquals((byte) 0x93, npy[0]);
        assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
        int headerLen = (npy[8] & 0xFF) | ((npy[9] & 0xFF) << 8);
        assertEquals(0, (10 + headerLen) % 64);
        String header = new String(npy, 10, headerLen, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        ByteBuffer body = ByteBuffer.wrap(npy, 10 + headerLen, 24).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 1; i <= 6; i++) assertEquals(i, body.getFloat()); // row-major, whatever m's order
        assertEquals(m, NpzParams.decode("m", npy));
    }

    @Test
    void fortranOrderedFilesAreReadInTheirLogicalShape() throws Exception {
        ByteBuffer b = npy("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", 32);
        b.putDouble(1).putDouble(3).putDouble(2).putDouble(4); // column-major [[1,2],[3,4]]
        assertEquals(Nd4j.createFromArray(new double[][] {{1, 2}, {3, 4}}), NpzParams.decode("f", b.array()));
    }

    /** A .npy preamble and header with room for {@code bodyBytes} of data after it. */
    private static ByteBuffer npy(String dict, int bodyBytes) {
        String header = dict + " ".repeat(127 - 10 - dict.length()) + "\n"; // 10 + 118 = 128 bytes
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + bodyBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        return b.put(header.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void float64ArraysLoadIntoAFloat32Network() throws Exception {
        MultiLayerNetwork d = net(3, DataType.DOUBLE);
        MultiLayerNetwork f = net(4, DataType.FLOAT);
        Path p = dir.resolve("d.npz");
        NpzParams.save(d, p);
        NpzParams.load(p, f);
        assertEquals(d.params().castTo(DataType.FLOAT), f.params());
    }

    private static Map<String, INDArray> copyOf(MultiLayerNetwork n) {
        Map<String, INDArray> m = new LinkedHashMap<>();
        NpzParams.namedParams(n).forEach((k, v) -> m.put(k, v.dup()));
        return m;
    }

    @Test
    void missingArrayIsRejectedByName() {
        MultiLayerNetwork n = net(1, DataType.FLOAT);
        Map<String, INDArray> m = copyOf(n);
        m.remove("layer1_rnn0/RW");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzParams.assign(m, n));
        assertEquals("array 'layer1_rnn0/RW' is missing (expected shape [6, 24])", e.getMessage());
    }

    @Test
    void extraArrayIsRejectedByName() {
        MultiLayerNetwork n = net(1, DataType.FLOAT);
        Map<String, INDArray> m = copyOf(n);
        m.put("layer9_extra/W", Nd4j.zeros(2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzParams.assign(m, n));
        assertTrue(e.getMessage().startsWith("array 'layer9_extra/W' matches no parameter of the network"), e.getMessage());
    }

    @Test
    void wrongShapeIsRejectedWithExpectedAndActualShape() {
        MultiLayerNetwork n = net(1, DataType.FLOAT);
        Map<String, INDArray> m = copyOf(n);
        m.put("layer2_output/W", Nd4j.zeros(DataType.FLOAT, 7, 6));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzParams.assign(m, n));
        assertEquals("array 'layer2_output/W' has shape [7, 6], expected [6, 7]", e.getMessage());
    }

    @Test
    void nanAndInfinityAreRejectedWithTheirPositionAndNothingIsCopied() {
        MultiLayerNetwork n = net(1, DataType.FLOAT);
        INDArray before = n.params().dup();
        Map<String, INDArray> m = copyOf(n);
        m.get("layer0_embedding/W").addi(1); // a valid change that must not be applied either
        m.get("layer1_rnn0/b").putScalar(0, 3, Float.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzParams.assign(m, n));
        assertEquals("array 'layer1_rnn0/b' holds NaN at flat index 3 (C order); parameters must be finite", e.getMessage());
        m.get("layer1_rnn0/b").putScalar(0, 3, Float.NEGATIVE_INFINITY);
        e = assertThrows(IllegalArgumentException.class, () -> NpzParams.assign(m, n));
        assertTrue(e.getMessage().contains("holds -Infinity at flat index 3"), e.getMessage());
        assertEquals(before, n.params());
    }

    @Test
    void unsupportedDtypeIsRejectedNamingTheArray() {
        ByteBuffer b = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", 8).putLong(7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpzParams.decode("x/W", b.array()));
        assertTrue(e.getMessage().startsWith("array 'x/W': dtype '<i8' is not supported"), e.getMessage());
    }

    @Test
    void modelSerializerRestoresParametersAndUpdaterState() throws Exception {
        MultiLayerNetwork a = net(5, DataType.FLOAT);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 2, 7, 4);
        labels.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(1),
                org.nd4j.linalg.indexing.NDArrayIndex.all()).assign(1);
        for (int i = 0; i < 3; i++) a.fit(ids(), labels);
        Path f = dir.resolve("m.zip");
        ModelSerializer.writeModel(a, f.toFile(), true);
        MultiLayerNetwork b = ModelSerializer.restoreMultiLayerNetwork(f.toFile(), true);
        assertEquals(a.params(), b.params());
        assertEquals(a.getUpdater().getStateViewArray(), b.getUpdater().getStateViewArray());
        a.fit(ids(), labels);
        b.fit(ids(), labels);
        assertEquals(a.params(), b.params()); // the restored Adam moments give the same next step
    }
}
