package io.surnn.ops.models;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Base of this package's graph vertices: one input, no parameters, no fields (so JSON needs only the
 * class name, and two instances of a class are equal). Subclasses give the output type and the
 * runtime vertex ({@link Runtime}), which does the actual forward and backward pass.
 */
public abstract class ParameterFreeVertex extends GraphVertex {

    /** The runtime vertex for this configuration. */
    protected abstract Runtime runtime(ComputationGraph graph, String name, int idx, DataType dataType);

    @Override
    public ParameterFreeVertex clone() {
        try {
            return getClass().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(getClass().getName() + " needs a public no-argument constructor", e);
        }
    }

    @Override public boolean equals(Object o) { return o != null && o.getClass() == getClass(); }
    @Override public int hashCode() { return getClass().hashCode(); }
    @Override public long numParams(boolean backprop) { return 0; }
    @Override public int minVertexInputs() { return 1; }
    @Override public int maxVertexInputs() { return 1; }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return runtime(graph, name, idx, networkDatatype);
    }

    @Override
    public MemoryReport getMemoryReport(InputType... in) {
        return new LayerMemoryReport.Builder(null, getClass(), in[0], getOutputType(-1, in))
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    /** Runtime side: no layer, no parameters, no gradient view. */
    protected abstract static class Runtime extends BaseGraphVertex {
        protected Runtime(ComputationGraph graph, String name, int idx, DataType dataType) {
            super(graph, name, idx, null, null, dataType);
        }

        @Override public boolean hasLayer() { return false; }
        @Override public org.deeplearning4j.nn.api.Layer getLayer() { return null; }
        @Override public void setBackpropGradientsViewArray(INDArray v) {}
        @Override public String toString() { return getClass().getEnclosingClass().getSimpleName() + "(" + vertexName + ")"; }
    }
}
