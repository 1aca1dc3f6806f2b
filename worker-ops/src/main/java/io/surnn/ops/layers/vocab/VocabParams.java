package io.surnn.ops.layers.vocab;

import io.surnn.ops.layers.params.ParamViews;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter views of the two vocabulary layers, in the order {@link VocabClusters} documents. Weights
 * start from the network's weight initialisation (fan-in = the width a matrix reads), biases at zero.
 */
public final class VocabParams implements ParamInitializer {
    static final VocabParams INSTANCE = new VocabParams();

    private VocabParams() {
    }

    /** Parameter shapes of a vocabulary layer, in flat order. */
    public static Map<String, long[]> shapes(Layer layer) {
        Map<String, long[]> m = new LinkedHashMap<>();
        if (layer instanceof AdaptiveEmbedding) {
            VocabClusters g = ((AdaptiveEmbedding) layer).clusters();
            m.put("E0", new long[] {g.size(0), g.width()});
            for (int j = 1; j <= g.tails(); j++) {
                m.put("E" + j, new long[] {g.size(j), g.dim(j)});
                m.put("P" + j, new long[] {g.dim(j), g.width()});
            }
            return m;
        }
        AdaptiveSoftmax s = softmax(layer);
        VocabClusters g = s.clusters();
        boolean tied = s.isTied();
        if (!tied) m.put("W0", new long[] {g.size(0), g.width()});
        if (g.tails() > 0) m.put("C", new long[] {g.tails(), g.width()});
        m.put("b0", new long[] {1, g.headSize()});
        for (int j = 1; j <= g.tails(); j++) {
            if (!tied) {
                m.put("P" + j, new long[] {g.dim(j), g.width()});
                m.put("E" + j, new long[] {g.size(j), g.dim(j)});
            }
            m.put("b" + j, new long[] {1, g.size(j)});
        }
        return m;
    }

    private static AdaptiveSoftmax softmax(Layer layer) {
        if (!(layer instanceof AdaptiveSoftmax)) {
            throw new IllegalArgumentException("vocabulary parameter initializer used with "
                    + (layer == null ? "null" : layer.getClass().getName()));
        }
        return (AdaptiveSoftmax) layer;
    }

    static boolean isBias(String key) {
        return key.startsWith("b");
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        return ParamViews.count(shapes(layer));
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return new ArrayList<>(shapes(layer).keySet());
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        List<String> out = new ArrayList<>();
        for (String k : shapes(layer).keySet()) if (!isBias(k)) out.add(k);
        return out;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        List<String> out = new ArrayList<>();
        for (String k : shapes(layer).keySet()) if (isBias(k)) out.add(k);
        return out;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return !isBias(key) && shapes(layer).containsKey(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return isBias(key) && shapes(layer).containsKey(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        Layer layer = conf.getLayer();
        Map<String, INDArray> views = split(layer, paramsView);
        if (initializeParams) {
            IWeightInit init = ((org.deeplearning4j.nn.conf.layers.BaseLayer) layer).getWeightInitFn();
            for (Map.Entry<String, INDArray> e : views.entrySet()) {
                INDArray v = e.getValue();
                if (isBias(e.getKey())) {
                    v.assign(0);
                } else {
                    // fan-in: the width the matrix's rows live in (E/W/C rows are read by dot products with
                    // a [d] vector; P maps d_j -> D)
                    long fanIn = v.size(1);
                    long fanOut = v.size(0);
                    v.assign(init.init(fanIn, fanOut, v.shape(), 'c', v));
                }
            }
        }
        return views;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return split(conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> split(Layer layer, INDArray flatView) {
        return ParamViews.split(String.valueOf(layer.getLayerName()), flatView, shapes(layer));
    }
}
