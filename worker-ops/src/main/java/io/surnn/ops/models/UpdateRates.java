package io.surnn.ops.models;

import io.surnn.ops.layers.UpdateRateAware;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/** Reads the measured update rate of every su-layer of a network (after a forward pass). */
public final class UpdateRates {
    private UpdateRates() {}

    /** Layer name → fraction of open (neuron, step) pairs in its last forward pass, in layer order. */
    public static Map<String, Double> of(Model model) {
        Layer[] layers = model instanceof ComputationGraph ? ((ComputationGraph) model).getLayers()
                : ((MultiLayerNetwork) model).getLayers();
        Map<String, Double> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.length; i++) {
            Layer l = layers[i];
            String name = l.conf().getLayer().getLayerName();
            while (l instanceof BaseWrapperLayer) {
                l = ((BaseWrapperLayer) l).getUnderlying(); // e.g. LastTimeStep around the last su-layer
            }
            if (l instanceof UpdateRateAware) {
                out.put(name == null ? "layer" + i : name, ((UpdateRateAware) l).lastUpdateRate());
            }
        }
        return out;
    }

    /** "rnn0=0.213 rnn1=0.180", or "-" when the network has no su-layer. */
    public static String format(Model model) {
        StringBuilder sb = new StringBuilder();
        of(model).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=')
                .append(String.format(java.util.Locale.ROOT, "%.3f", v)));
        return sb.length() == 0 ? "-" : sb.toString();
    }
}
