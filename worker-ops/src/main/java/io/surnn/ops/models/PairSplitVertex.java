package io.surnn.ops.models;

import java.util.Arrays;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Turns a pair laid out side by side in time into a batch of twice the size:
 * [B, 2T] → [2B, T] (token ids) or [B, F, 2T] → [2B, F, T] (features); rows 0..B-1 of the output are
 * the first documents (time steps 0..T-1 of the input), rows B..2B-1 the second (steps T..2T-1). A
 * feature mask [B, 2T] is rearranged the same way.
 *
 * <p>Design note: DL4J M2 cannot apply one layer to two graph inputs, so the dual encoder runs its
 * encoder once over both documents stacked along the batch axis. The stacking happens inside the
 * graph, not in the driver, so that the graph's input (and its labels) keep batch size B: DL4J divides
 * gradients by the first input's batch size and the score by the output layer's, and feeding [2B, T]
 * directly would make the two disagree by a factor of 2. See {@link DualEncoderBuilder#stackPair}.
 */
public class PairSplitVertex extends ParameterFreeVertex {

    public PairSplitVertex() {}


    @Override
    protected Runtime runtime(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) {
        if (in[0] instanceof InputType.InputTypeRecurrent) {
            InputType.InputTypeRecurrent r = (InputType.InputTypeRecurrent) in[0];
            long t = r.getTimeSeriesLength();
            return InputType.recurrent(r.getSize(), t > 0 ? t / 2 : t);
        }
        return in[0];
    }

    /** Rows [r0, r1) and steps [t0, t1) of a [N, T] or [N, F, T] array (a view). */
    static INDArray block(INDArray a, long r0, long r1, long t0, long t1) {
        INDArrayIndex[] idx = new INDArrayIndex[a.rank()];
        Arrays.fill(idx, NDArrayIndex.all());
        idx[0] = NDArrayIndex.interval(r0, r1);
        idx[a.rank() - 1] = NDArrayIndex.interval(t0, t1);
        return a.get(idx);
    }

    /** Shape of {@code a} with dimension 0 multiplied and the last dimension divided by {@code factor}. */
    static long[] restack(INDArray a, long rowFactor, long timeDivisor) {
        long[] s = a.shape().clone();
        s[0] *= rowFactor;
        s[s.length - 1] /= timeDivisor;
        return s;
    }

    /** The runtime vertex. */
    static final class Impl extends Runtime {
        Impl(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr ws) {
            INDArray in = inputs[0];
            long b = in.size(0);
            long t = half(in);
            INDArray out = ws.create(ArrayType.ACTIVATIONS, in.dataType(), restack(in, 2, 2)); // [2B, (F,) T]
            block(out, 0, b, 0, t).assign(block(in, 0, b, 0, t));
            block(out, b, 2 * b, 0, t).assign(block(in, 0, b, t, 2 * t));
            return out;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr ws) {
            if (epsilon == null) {
                return new Pair<>(null, new INDArray[] {null}); // an embedding above: token ids get no gradient
            }
            long b = epsilon.size(0) / 2;
            long t = epsilon.size(epsilon.rank() - 1);
            long[] shape = epsilon.shape().clone();
            shape[0] = b;
            shape[shape.length - 1] = 2 * t;
            INDArray eps = ws.create(ArrayType.ACTIVATION_GRAD, epsilon.dataType(), shape); // [B, (F,) 2T]
            block(eps, 0, b, 0, t).assign(block(epsilon, 0, b, 0, t));
            block(eps, 0, b, t, 2 * t).assign(block(epsilon, b, 2 * b, 0, t));
            return new Pair<>(null, new INDArray[] {eps});
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] masks, MaskState state, int minibatch) {
            if (masks == null || masks[0] == null) return new Pair<>(null, state);
            INDArray m = masks[0];
            long b = m.size(0);
            long t = half(m);
            try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
                INDArray out = Nd4j.concat(0, block(m, 0, b, 0, t), block(m, 0, b, t, 2 * t)); // [2B, T]
                return new Pair<>(out, state);
            }
        }

        private long half(INDArray a) {
            long t2 = a.size(a.rank() - 1);
            if (t2 % 2 != 0) {
                throw new IllegalArgumentException("vertex '" + vertexName + "': a pair input must hold two documents of"
                        + " equal length side by side in time, but its time axis has odd length " + t2
                        + " (shape " + Arrays.toString(a.shape()) + "); use DualEncoderBuilder.stackPair");
            }
            return t2 / 2;
        }
    }
}
