package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.gate.Surrogate;
import io.surnn.ops.layers.conf.SuGru;
import io.surnn.ops.layers.conf.SuLayerConf;
import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.File;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configuration: JSON and model-file round trips, parameter layout, and validation messages. */
class SuConfigTest {

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void jsonRoundTripAndModelSerializerKeepOutputsIdentical(CellType cell, @TempDir File dir) throws Exception {
        MultiLayerNetwork net = SuNets.net(cell, 3, 6, 2, DataType.FLOAT, b -> b.gateMode(GateMode.SOFT)
                .harmonics(3).surrogate(Surrogate.BOXCAR).surrogateWidth(0.7).initialUpdateRate(0.4).sparse(false)
                .gateSeed(11).name("su"));
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        String json = conf.toJson();
        MultiLayerConfiguration back = MultiLayerConfiguration.fromJson(json);
        assertEquals(conf, back, "configuration equal after JSON round trip");
        SuLayerConf su = (SuLayerConf) back.getConf(0).getLayer();
        assertEquals(GateMode.SOFT, su.getGateMode());
        assertEquals(3, su.getHarmonics());
        assertEquals(Surrogate.BOXCAR, su.getSurrogate());
        assertEquals(0.7, su.getSurrogateWidth());
        assertEquals(0.4, su.getInitialUpdateRate());
        assertEquals(false, su.isSparse());
        assertEquals(11L, su.getGateSeed());

        MultiLayerNetwork fromJson = new MultiLayerNetwork(back);
        fromJson.init(net.params().dup(), false);
        INDArray x = SuNets.randn(DataType.FLOAT, 3, 2, 3, 25);
        INDArray expected = net.output(x);
        assertEquals(expected, fromJson.output(x), "JSON round trip output");

        File file = new File(dir, "su.zip");
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertEquals(expected, restored.output(x), "ModelSerializer round trip output");
    }

    @Test
    void parameterViewsShareTheFlatArrayAndHaveDocumentedShapes() {
        MultiLayerNetwork net = SuNets.net(CellType.SUGRU, 3, 5, 2, DataType.FLOAT, b -> b.harmonics(2));
        org.deeplearning4j.nn.api.Layer l = net.getLayer(0);
        assertEquals("[3, 15]", java.util.Arrays.toString(l.getParam("W").shape()));
        assertEquals("[5, 15]", java.util.Arrays.toString(l.getParam("RW").shape()));
        assertEquals("[1, 20]", java.util.Arrays.toString(l.getParam("b").shape()));
        assertEquals("[1, 5]", java.util.Arrays.toString(l.getParam("gb").shape()));
        assertEquals("[5, 2]", java.util.Arrays.toString(l.getParam("galpha").shape()));
        assertEquals("[5, 2]", java.util.Arrays.toString(l.getParam("gphi").shape()));
        assertEquals("[1, 2]", java.util.Arrays.toString(l.getParam("gomega").shape()));
        assertEquals(45 + 75 + 20 + 5 + 10 + 10 + 2, l.numParams());
        l.getParam("gomega").putScalar(0, 1, 0.123f);
        assertEquals(0.123f, l.params().getFloat(l.numParams() - 1), "views write through to the flat array");
    }

    private static void assertMessage(Supplier<Object> build, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
        }
    }

    @Test
    void badConfigurationNamesLayerFieldAndValue() {
        assertMessage(() -> new SuGru.Builder().name("enc").nIn(3).nOut(4).harmonics(0).build(),
                "SuGru 'enc'", "harmonics", "0");
        assertMessage(() -> new SuGru.Builder().nIn(3).nOut(4).surrogateWidth(0).build(), "surrogateWidth", "0.0");
        assertMessage(() -> new SuGru.Builder().nIn(3).nOut(4).surrogateWidth(-1).build(), "surrogateWidth", "-1.0");
        assertMessage(() -> new SuGru.Builder().nIn(3).nOut(4).initialUpdateRate(0).build(), "initialUpdateRate", "0.0");
        assertMessage(() -> new SuGru.Builder().nIn(3).nOut(4).initialUpdateRate(1.5).build(),
                "initialUpdateRate", "1.5");
        assertMessage(() -> new SuGru.Builder().nIn(0).nOut(4).build(), "nIn", "0");
        assertMessage(() -> new SuGru.Builder().nIn(3).nOut(0).build(), "nOut", "0");
    }

    @Test
    void unknownGateModeInJsonIsRejectedWithFieldAndValue() {
        MultiLayerNetwork net = SuNets.net(CellType.SURNN, 2, 3, 1, DataType.FLOAT, b -> b);
        String json = net.getLayerWiseConfigurations().toJson().replace("\"RHYTHMIC\"", "\"PULSED\"");
        assertTrue(json.contains("PULSED"));
        Throwable t = assertThrows(Throwable.class, () -> MultiLayerConfiguration.fromJson(json));
        while (t != null && !(t instanceof IllegalArgumentException && t.getMessage().contains("gateMode"))) {
            t = t.getCause();
        }
        assertTrue(t != null && t.getMessage().contains("PULSED"), "an IllegalArgumentException naming gateMode and PULSED");
    }

    @Test
    void wrongInputShapeNamesLayerExpectedAndActual() {
        MultiLayerNetwork net = SuNets.net(CellType.SUGRU, 3, 4, 1, DataType.FLOAT, b -> b.name("enc"));
        org.deeplearning4j.nn.api.Layer l = net.getLayer(0);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        l.setInput(Nd4j.rand(DataType.FLOAT, 2, 5, 7), mgr);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.activate(false, mgr));
        assertTrue(e.getMessage().contains("SuGru 'enc'") && e.getMessage().contains("[minibatch, 3, T]")
                && e.getMessage().contains("[2, 5, 7]"), e.getMessage());
        l.setInput(Nd4j.rand(DataType.FLOAT, 2, 3), mgr);
        e = assertThrows(IllegalArgumentException.class, () -> l.activate(false, mgr));
        assertTrue(e.getMessage().contains("[2, 3]"), e.getMessage());
    }

    @Test
    void floatAndDoubleNetworksAgree() {
        MultiLayerNetwork f = SuNets.net(CellType.SULSTM, 3, 6, 2, DataType.FLOAT, b -> b.gateSeed(4));
        MultiLayerNetwork d = SuNets.net(CellType.SULSTM, 3, 6, 2, DataType.DOUBLE, b -> b.gateSeed(4));
        d.setParams(f.params().castTo(DataType.DOUBLE));
        INDArray x = SuNets.randn(DataType.DOUBLE, 9, 2, 3, 40);
        INDArray of = f.output(x.castTo(DataType.FLOAT)).castTo(DataType.DOUBLE);
        INDArray od = d.output(x);
        assertTrue(of.sub(od).amaxNumber().doubleValue() < 1e-4, "float vs double outputs");
    }

    @Test
    void layerWorksInAComputationGraphAndSurvivesItsJsonRoundTrip() {
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf =
                new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT)
                        .updater(new org.nd4j.linalg.learning.config.Adam(1e-2)).graphBuilder()
                        .addInputs("in")
                        .addLayer("su", new SuGru.Builder().nIn(3).nOut(6).surrogateWidth(SuNets.WIDTH).build(), "in")
                        .addLayer("out", new org.deeplearning4j.nn.conf.layers.RnnOutputLayer.Builder(
                                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MSE)
                                .activation(org.nd4j.linalg.activations.Activation.IDENTITY).nIn(6).nOut(2)
                                .dataFormat(org.deeplearning4j.nn.conf.RNNFormat.NCW).build(), "su") // M2: null otherwise
                        .setOutputs("out").build();
        org.deeplearning4j.nn.graph.ComputationGraph g = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
        g.init();
        INDArray x = SuNets.randn(DataType.FLOAT, 1, 2, 3, 15);
        INDArray y = SuNets.randn(DataType.FLOAT, 2, 2, 2, 15);
        double before = g.score(new org.nd4j.linalg.dataset.DataSet(x, y));
        for (int i = 0; i < 30; i++) {
            g.fit(new INDArray[]{x}, new INDArray[]{y});
        }
        assertTrue(g.score(new org.nd4j.linalg.dataset.DataSet(x, y)) < before, "training lowers the loss");
        org.deeplearning4j.nn.graph.ComputationGraph back = new org.deeplearning4j.nn.graph.ComputationGraph(
                org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(conf.toJson()));
        back.init(g.params().dup(), false);
        assertEquals(g.outputSingle(x), back.outputSingle(x));
    }
}
