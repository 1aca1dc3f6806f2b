package io.surnn.ops.models;

import io.surnn.ops.layers.UpdateRateAware;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads the measured update rate of every su-layer of a network (after a forward pass), and runs the
 * forward pass that measures it ({@link #measure}).
 *
 * <p>Design note: every reader (the demo's progress line, the driver's per-round metrics) goes through
 * {@link #suLayer}, which looks through DL4J's wrapper layers: a su-layer may sit inside one, e.g.
 * {@code LastTimeStep} around the last recurrent layer of a {@link Readout#LAST} model, and then the
 * network's own layer array holds only the wrapper.
 */
public final class UpdateRates {
    private UpdateRates() {}

    /** The su-layer {@code l} is or wraps (LastTimeStep, MaskZero, ... any {@link BaseWrapperLayer}), else null. */
    public static UpdateRateAware suLayer(Layer l) {
        while (l instanceof BaseWrapperLayer) {
            l = ((BaseWrapperLayer) l).getUnderlying();
        }
        return l instanceof UpdateRateAware ? (UpdateRateAware) l : null;
    }

    /** Layer name → fraction of open (neuron, step) pairs in its last forward pass, in layer order. */
    public static Map<String, Double> of(Model model) {
        Map<String, Double> out = new LinkedHashMap<>();
        rates(model).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The rates of {@link #of}, one per su-layer in layer order (empty without su-layers). */
    public static double[] values(Model model) {
        return rates(model).stream().mapToDouble(Map.Entry::getValue).toArray();
    }

    private static List<Map.Entry<String, Double>> rates(Model model) {
        Layer[] layers = Networks.layers(model);
        List<Map.Entry<String, Double>> out = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            UpdateRateAware su = suLayer(layers[i]);
            if (su != null) {
                String name = layers[i].conf().getLayer().getLayerName();
                out.add(Map.entry(name == null ? "layer" + i : name, su.lastUpdateRate()));
            }
        }
        return out;
    }

    /**
     * Each su-layer's update rate on one minibatch: clears any recurrent state, runs inference (masks
     * applied) only as far as the last su-layer needs (a MultiLayerNetwork stops there, skipping the
     * output layer, for a 33K-word softmax most of the work; a ComputationGraph is run in full), reads
     * the rates ({@link #values}) and clears the state again.
     */
    public static double[] measure(Model m, INDArray features, INDArray featuresMask) {
        Networks.clearState(m);
        try {
            if (m instanceof MultiLayerNetwork) {
                forwardToLastSuLayer((MultiLayerNetwork) m, features, featuresMask);
            } else {
                Networks.output(m, features, featuresMask, null);
            }
            return values(m);
        } finally {
            Networks.clearState(m);
        }
    }

    private static void forwardToLastSuLayer(MultiLayerNetwork n, INDArray features, INDArray featuresMask) {
        Layer[] layers = n.getLayers();
        int last = -1;
        for (int i = 0; i < layers.length; i++) {
            if (suLayer(layers[i]) != null) {
                last = i;
            }
        }
        if (last < 0) {
            return;
        }
        n.setLayerMaskArrays(featuresMask, null);
        try {
            n.feedForwardToLayer(last, features, false);
        } finally {
            n.clearLayerMaskArrays();
        }
    }

    /** "rnn0=0.213 rnn1=0.180", or "-" when the network has no su-layer. */
    public static String format(Model model) {
        StringBuilder sb = new StringBuilder();
        of(model).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.3f", v)));
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
