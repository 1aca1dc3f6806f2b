package io.surnn.ops.models;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.IOException;
import java.io.InputStream;

/**
 * The few operations the driver needs from a network, for both of DL4J's network types: a
 * {@link MultiLayerNetwork} (language models, classifiers) and a single-input, single-output
 * {@link ComputationGraph} (the dual encoder, whose one input is the pair laid out by
 * {@code DualEncoderBuilder.stackPair}).
 *
 * <p>Design: the driver's engine, training loop, evaluator, checkpoints and model directory all hold a
 * network as DL4J's common {@link Model} interface and go through these static methods for the
 * handful of calls that the two classes spell differently (learning rate, counters, configuration
 * JSON, inference with masks, per-example scores, layers). One place dispatches on the type, so
 * nothing upstream is written twice. Both types see a minibatch as one {@link DataSet}: features,
 * feature mask, labels, labels mask. It is plain DL4J, so it sits with the model builders (and
 * {@link UpdateRates} reads layers through it), not in the Spark driver.
 */
public final class Networks {
    /** {@link #typeName} of a MultiLayerNetwork. */
    public static final String MULTI_LAYER = "MultiLayerNetwork";
    /** {@link #typeName} of a ComputationGraph. */
    public static final String GRAPH = "ComputationGraph";

    private Networks() {}

    /** "MultiLayerNetwork" or "ComputationGraph"; anything else is refused. */
    public static String typeName(Model m) {
        if (m instanceof MultiLayerNetwork) {
            return MULTI_LAYER;
        }
        if (m instanceof ComputationGraph) {
            return GRAPH;
        }
        throw new IllegalArgumentException("unsupported network type " + (m == null ? "null" : m.getClass().getName())
                + " (the driver trains MultiLayerNetwork and ComputationGraph models)");
    }

    private static ComputationGraph graph(Model m) {
        ComputationGraph g = (ComputationGraph) m;
        if (g.getNumInputArrays() != 1 || g.getNumOutputArrays() != 1) {
            throw new IllegalArgumentException("ComputationGraph with " + g.getNumInputArrays() + " inputs and "
                    + g.getNumOutputArrays() + " outputs: the driver feeds graphs with exactly one input and one output");
        }
        return g;
    }

    public static void setLearningRate(Model m, double lr) {
        if (GRAPH.equals(typeName(m))) {
            graph(m).setLearningRate(lr);
        } else {
            ((MultiLayerNetwork) m).setLearningRate(lr);
        }
    }

    public static int iterationCount(Model m) {
        return GRAPH.equals(typeName(m)) ? graph(m).getIterationCount() : ((MultiLayerNetwork) m).getIterationCount();
    }

    public static int epochCount(Model m) {
        return GRAPH.equals(typeName(m)) ? graph(m).getEpochCount() : ((MultiLayerNetwork) m).getEpochCount();
    }

    /** Sets the iteration and epoch counters the updater schedules and Adam's bias correction read. */
    public static void setCounters(Model m, int iterations, int epochs) {
        if (GRAPH.equals(typeName(m))) {
            graph(m).getConfiguration().setIterationCount(iterations);
            graph(m).getConfiguration().setEpochCount(epochs);
        } else {
            ((MultiLayerNetwork) m).setIterationCount(iterations);
            ((MultiLayerNetwork) m).setEpochCount(epochs);
        }
    }

    /** The network's configuration as DL4J JSON (what {@link #fromJson} reads back). */
    public static String configurationJson(Model m) {
        return GRAPH.equals(typeName(m)) ? graph(m).getConfiguration().toJson()
                : ((MultiLayerNetwork) m).getLayerWiseConfigurations().toJson();
    }

    /** A network of type {@code type} ({@link #typeName}) from its JSON configuration, initialised with {@code params}. */
    public static Model fromJson(String type, String json, INDArray params) {
        if (GRAPH.equals(type)) {
            ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
            g.init(params, false);
            return g;
        }
        MultiLayerNetwork n = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
        n.init(params, false);
        return n;
    }

    /** Inference on one minibatch (masks applied, no dropout): [B, C] or [B, V, T]. */
    public static INDArray output(Model m, INDArray features, INDArray featuresMask, INDArray labelsMask) {
        if (GRAPH.equals(typeName(m))) {
            return graph(m).output(false, new INDArray[] {features},
                    featuresMask == null ? null : new INDArray[] {featuresMask},
                    labelsMask == null ? null : new INDArray[] {labelsMask})[0];
        }
        return ((MultiLayerNetwork) m).output(features, false, featuresMask, labelsMask);
    }

    /** Per-example loss without the regularisation term, [B] (recurrent outputs: summed over unmasked steps). */
    public static INDArray scoreExamples(Model m, DataSet ds) {
        return GRAPH.equals(typeName(m)) ? graph(m).scoreExamples(ds, false) : ((MultiLayerNetwork) m).scoreExamples(ds, false);
    }

    /**
     * The regularisation term (L1/L2/weight decay) DL4J adds to a minibatch score, for the current
     * parameters; 0 when the configuration has none.
     */
    public static double regularizationScore(Model m) {
        return GRAPH.equals(typeName(m)) ? graph(m).calcRegularizationScore(true)
                : ((MultiLayerNetwork) m).calcRegularizationScore(true);
    }

    /** Clears any recurrent state left by rnnTimeStep / tBPTT. */
    public static void clearState(Model m) {
        if (GRAPH.equals(typeName(m))) {
            graph(m).rnnClearPreviousState();
        } else {
            ((MultiLayerNetwork) m).rnnClearPreviousState();
        }
    }

    /** The runtime layers, in topological order for graphs (any number of inputs and outputs). */
    public static Layer[] layers(Model m) {
        return GRAPH.equals(typeName(m)) ? ((ComputationGraph) m).getLayers() : ((MultiLayerNetwork) m).getLayers();
    }

    /** The configuration of the layer that computes the loss (the graph's one output layer). */
    public static org.deeplearning4j.nn.conf.layers.Layer outputLayerConf(Model m) {
        if (GRAPH.equals(typeName(m))) {
            ComputationGraph g = graph(m);
            return g.getOutputLayer(0).conf().getLayer();
        }
        MultiLayerConfiguration conf = ((MultiLayerNetwork) m).getLayerWiseConfigurations();
        return conf.getConf(conf.getConfs().size() - 1).getLayer();
    }

    /** Reads a ModelSerializer zip of type {@code type} ({@link #typeName}). */
    public static Model restore(String type, InputStream in, boolean loadUpdater) throws IOException {
        if (GRAPH.equals(type)) {
            return ModelSerializer.restoreComputationGraph(in, loadUpdater);
        }
        if (MULTI_LAYER.equals(type)) {
            return ModelSerializer.restoreMultiLayerNetwork(in, loadUpdater);
        }
        throw new IllegalArgumentException("unknown network type '" + type + "' (expected " + MULTI_LAYER + " or " + GRAPH + ")");
    }

    /** The network as a MultiLayerNetwork, or a one-line error naming {@code what} needs one. */
    public static MultiLayerNetwork requireMultiLayer(Model m, String what) {
        if (!(m instanceof MultiLayerNetwork)) {
            throw new IllegalArgumentException(what + " needs a MultiLayerNetwork model, got a " + typeName(m));
        }
        return (MultiLayerNetwork) m;
    }
}
