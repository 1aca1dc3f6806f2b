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
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Combines two encodings stacked along the batch axis into the usual pair features:
 * [2B, H] (rows 0..B-1 = u, rows B..2B-1 = v) → [B, 4H] = [u, v, u⊙v, u−v].
 *
 * <p>Backward, with the output gradient split into four [B, H] blocks e1..e4:
 * du = e1 + e3⊙v + e4 and dv = e2 + e3⊙u − e4, stacked back to [2B, H]. No parameters.
 */
public class PairFeatureVertex extends ParameterFreeVertex {

    public PairFeatureVertex() {}


    @Override
    protected Runtime runtime(ComputationGraph graph, String name, int idx, DataType dataType) {
        return new Impl(graph, name, idx, dataType);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... in) {
        if (!(in[0] instanceof InputType.InputTypeFeedForward)) {
            throw new IllegalArgumentException("PairFeatureVertex needs a feed-forward input [2B, H], got " + in[0]);
        }
        return InputType.feedForward(4 * ((InputType.InputTypeFeedForward) in[0]).getSize());
    }

    /** The runtime vertex. */
    static final class Impl extends Runtime {
        Impl(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, dataType);
        }

        @Override
        public INDArray doForward(boolean training, LayerWorkspaceMgr ws) {
            INDArray in = inputs[0];
            if (in.rank() != 2 || in.size(0) % 2 != 0) {
                throw new IllegalArgumentException("vertex '" + vertexName + "': expected [2B, H] encodings of a pair batch,"
                        + " got shape " + Arrays.toString(in.shape()));
            }
            long b = in.size(0) / 2;
            long h = in.size(1);
            INDArray u = rows(in, 0, b);       // [B, H]
            INDArray v = rows(in, b, 2 * b);   // [B, H]
            INDArray out = ws.create(ArrayType.ACTIVATIONS, in.dataType(), b, 4 * h); // [B, 4H]
            cols(out, 0, h).assign(u);
            cols(out, h, 2 * h).assign(v);
            cols(out, 2 * h, 3 * h).assign(u.mul(v));
            cols(out, 3 * h, 4 * h).assign(u.sub(v));
            return out;
        }

        @Override
        public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr ws) {
            INDArray in = inputs[0];
            long b = in.size(0) / 2;
            long h = in.size(1);
            INDArray u = rows(in, 0, b);
            INDArray v = rows(in, b, 2 * b);
            INDArray e1 = cols(epsilon, 0, h);          // [B, H] each
            INDArray e2 = cols(epsilon, h, 2 * h);
            INDArray e3 = cols(epsilon, 2 * h, 3 * h);
            INDArray e4 = cols(epsilon, 3 * h, 4 * h);
            INDArray eps = ws.create(ArrayType.ACTIVATION_GRAD, in.dataType(), 2 * b, h); // [2B, H]
            rows(eps, 0, b).assign(e1.add(e3.mul(v)).addi(e4));
            rows(eps, b, 2 * b).assign(e2.add(e3.mul(u)).subi(e4));
            return new Pair<>(null, new INDArray[] {eps});
        }

        @Override
        public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] masks, MaskState state, int minibatch) {
            // Its input is already pooled to one vector per document: nothing left to mask.
            return new Pair<>(null, state);
        }

        private static INDArray rows(INDArray a, long r0, long r1) {
            return a.get(NDArrayIndex.interval(r0, r1), NDArrayIndex.all());
        }

        private static INDArray cols(INDArray a, long c0, long c1) {
            return a.get(NDArrayIndex.all(), NDArrayIndex.interval(c0, c1));
        }
    }
}
