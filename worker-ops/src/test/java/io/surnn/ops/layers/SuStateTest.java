package io.surnn.ops.layers;

import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.CellType;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Time and state rules: streaming, truncated BPTT, clearing, masking. */
class SuStateTest {

    private static MultiLayerNetwork single(CellType cell, double p0) {
        return SuNets.singleLayer(cell, 3, 10, GateMode.RHYTHMIC, p0, true, 77);
    }

    private static INDArray steps(INDArray a, long from, long to) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, to));
    }

    private static void assertClose(String what, INDArray expected, INDArray actual, double tol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
        double diff = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertTrue(diff <= tol, what + ": max diff " + diff);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void chunkedRnnTimeStepEqualsOneFullForwardAndKeepsOnlyHiddenSizedState(CellType cell) {
        MultiLayerNetwork net = single(cell, 0.3);
        INDArray x = SuNets.randn(DataType.FLOAT, 4, 2, 3, 30);
        INDArray full = net.output(x);
        int[] cuts = {0, 7, 8, 20, 30};
        for (int c = 0; c + 1 < cuts.length; c++) {
            INDArray part = net.rnnTimeStep(steps(x, cuts[c], cuts[c + 1]).dup());
            if (part.rank() == 2) {
                part = part.reshape(part.size(0), part.size(1), 1);
            }
            assertClose("chunk " + c, steps(full, cuts[c], cuts[c + 1]), part, 1e-6);
            Map<String, INDArray> state = net.rnnGetPreviousState(0);
            assertEquals(cuts[c + 1], state.get(SuRecurrentLayer.STATE_T).getInt(0), "t after chunk " + c);
            assertArrayEquals(new long[]{2, 10}, state.get(SuRecurrentLayer.STATE_H).shape());
            assertEquals(cell == CellType.SULSTM ? 3 : 2, state.size(), "state keys " + state.keySet());
        }
        net.rnnClearPreviousState();
        INDArray again = net.rnnTimeStep(steps(x, 0, 7).dup());
        assertClose("after clear, t restarts at 0", steps(full, 0, 7), again, 1e-6);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void neverOpenNeuronKeepsItsStreamedStateBitwiseOver4096Steps(CellType cell) {
        MultiLayerNetwork net = single(cell, 0.3);
        Layer layer = net.getLayer(0);
        INDArray x = SuNets.randn(DataType.FLOAT, 5, 2, 3, 4096 + 5);
        layer.getParam("gb").putScalar(0, 0, 100f);              // neuron 0 open: takes a value
        net.rnnTimeStep(steps(x, 0, 5).dup());
        float[] before = net.rnnGetPreviousState(0).get(SuRecurrentLayer.STATE_H).getColumn(0).toFloatVector();
        layer.getParam("gb").putScalar(0, 0, -100f);             // now never open
        for (int start = 5; start < 4096 + 5; start += 512) {
            INDArray out = net.rnnTimeStep(steps(x, start, start + 512).dup());
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t < 512; t++) {
                    assertEquals(Float.floatToRawIntBits(before[b]), Float.floatToRawIntBits(out.getFloat(b, 0, t)),
                            "seq " + b + " step " + (start + t));
                }
            }
        }
        assertEquals(4096 + 5, net.rnnGetPreviousState(0).get(SuRecurrentLayer.STATE_T).getInt(0));
    }

    /** Captures the su-layer's activations of every forward pass. */
    private static final class Capture extends BaseTrainingListener {
        final List<INDArray> acts = new ArrayList<>();
        final List<Double> gradMax = new ArrayList<>();

        @Override
        public void onGradientCalculation(Model model) {
            gradMax.add(model.gradient().gradient().amaxNumber().doubleValue());
        }

        @Override
        public void onForwardPass(Model model, List<INDArray> activations) {
            acts.add(activations.get(1).detach()); // copy out of the training workspace
        }
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void truncatedBpttSegmentsContinueTimeAndState(CellType cell) {
        MultiLayerNetwork ref = SuNets.net(cell, 3, 8, 2, DataType.FLOAT, new org.nd4j.linalg.learning.config.Sgd(0.0),
                b -> b.initialUpdateRate(0.3).gateSeed(9));
        MultiLayerConfiguration c = ref.getLayerWiseConfigurations().clone();
        c.setBackpropType(BackpropType.TruncatedBPTT);
        c.setTbpttFwdLength(10);
        c.setTbpttBackLength(10);
        MultiLayerNetwork net = new MultiLayerNetwork(c);
        net.init();
        net.setParams(ref.params());
        INDArray x = SuNets.randn(DataType.FLOAT, 6, 2, 3, 30);
        INDArray y = SuNets.randn(DataType.FLOAT, 7, 2, 2, 30);
        INDArray full = ref.feedForward(x, false).get(1);
        Capture cap = new Capture();
        net.setListeners(cap);
        INDArray before = net.params().dup();
        net.fit(x, y);
        assertEquals(3, cap.acts.size(), "three segments of 10 steps");
        for (int s = 0; s < 3; s++) {
            assertClose("segment " + s + " (t from " + 10 * s + ")", steps(full, 10 * s, 10 * s + 10), cap.acts.get(s), 1e-6);
        }
        assertEquals(3, cap.gradMax.size(), "one gradient per segment");
        for (double g : cap.gradMax) {
            assertTrue(g > 0 && Double.isFinite(g), "segment gradient max " + g);
        }
        assertClose("learning rate 0 keeps params", before, net.params(), 0);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"SURNN", "SUGRU", "SULSTM"})
    void rightPaddingChangesNeitherRealOutputsNorTheLastState(CellType cell) {
        MultiLayerNetwork net = single(cell, 0.4);
        SuRecurrentLayer layer = (SuRecurrentLayer) net.getLayer(0);
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        INDArray x = SuNets.randn(DataType.FLOAT, 8, 2, 3, 12);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 2, 12);
        mask.get(NDArrayIndex.point(0), NDArrayIndex.interval(7, 12)).assign(0); // sequence 0 has 7 real steps
        layer.setMaskArray(mask);
        INDArray padded = layer.rnnTimeStep(x, mgr).dup();
        INDArray paddedLastH = layer.rnnGetPreviousState().get(SuRecurrentLayer.STATE_H).getRow(0).dup();
        INDArray paddedLastC = cell == CellType.SULSTM
                ? layer.rnnGetPreviousState().get(SuRecurrentLayer.STATE_C).getRow(0).dup() : null;
        assertEquals(12, layer.rnnGetPreviousState().get(SuRecurrentLayer.STATE_T).getInt(0),
                "t advances over padded steps (t is the position in the sequence)");

        layer.rnnClearPreviousState();
        layer.setMaskArray(null);
        INDArray alone = x.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(), NDArrayIndex.interval(0, 7)).dup();
        INDArray out = layer.rnnTimeStep(alone, mgr).dup();
        INDArray lastH = layer.rnnGetPreviousState().get(SuRecurrentLayer.STATE_H).getRow(0);
        assertClose("real steps", out, padded.get(NDArrayIndex.interval(0, 1), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 7)), 0);
        assertEquals(0.0, padded.get(NDArrayIndex.point(0), NDArrayIndex.all(), NDArrayIndex.interval(7, 12))
                .amaxNumber().doubleValue(), "padded outputs are zero");
        assertClose("last state h", lastH.reshape(-1), paddedLastH.reshape(-1), 0);
        if (paddedLastC != null) {
            assertClose("last state c", layer.rnnGetPreviousState().get(SuRecurrentLayer.STATE_C).getRow(0).reshape(-1),
                    paddedLastC.reshape(-1), 0);
        }
        assertEquals(7, layer.rnnGetPreviousState().get(SuRecurrentLayer.STATE_T).getInt(0), "unpadded run: t = 7");
    }
}
