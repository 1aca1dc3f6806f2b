package io.surnn.ops.models;

import io.surnn.ops.gate.GateSchedule;
import io.surnn.ops.layers.SuRecurrentLayer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The learned gate of every su-layer of a network as a picture's worth of data: which neuron is open
 * at which step over the first {@code steps} steps, with the neurons ordered by their update rate
 * (most often open first), and each neuron's rate. Since the gate depends on the step and the
 * gate parameters only, this needs no data and no forward pass.
 */
public final class GatePatterns {
    private GatePatterns() {}

    /**
     * One layer's pattern.
     *
     * @param open   {@code open[r][t]}: whether the neuron in sorted row {@code r} is open at step t (g >= 0.5:
     *               the hard gates are 0 or 1; a SOFT gate counts as open where it passes more than half)
     * @param rates  per sorted row, the fraction of the {@code steps} steps the neuron is open (descending)
     * @param neuron per sorted row, the neuron's index in the layer
     */
    public record Pattern(String layer, int hidden, int steps, boolean[][] open, double[] rates, int[] neuron) {
        /** The layer's mean update rate over the window. */
        public double meanRate() {
            return Arrays.stream(rates).average().orElse(0);
        }
    }

    /** Layer name → its pattern over steps 0..steps-1, in layer order; empty when the network has no su-layer. */
    public static Map<String, Pattern> of(Model model, int steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        Layer[] layers = Networks.layers(model);
        Map<String, Pattern> out = new LinkedHashMap<>();
        for (int i = 0; i < layers.length; i++) {
            if (UpdateRates.suLayer(layers[i]) instanceof SuRecurrentLayer su) {
                String name = layers[i].conf().getLayer().getLayerName();
                String layer = name == null ? "layer" + i : name;
                out.put(layer, pattern(layer, su.gateSchedule(0, steps)));
            }
        }
        return out;
    }

    static Pattern pattern(String layer, GateSchedule s) {
        int h = s.hidden;
        int t = s.steps;
        double[] rate = new double[h];
        for (int step = 0; step < t; step++) {
            for (int i = 0; i < h; i++) {
                if (s.g[step * h + i] >= 0.5) rate[i] += 1.0 / t;
            }
        }
        int[] order = IntStream.range(0, h).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -rate[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        boolean[][] open = new boolean[h][t];
        double[] sortedRates = new double[h];
        for (int r = 0; r < h; r++) {
            int i = order[r];
            sortedRates[r] = rate[i];
            for (int step = 0; step < t; step++) {
                open[r][step] = s.g[step * h + i] >= 0.5;
            }
        }
        return new Pattern(layer, h, t, open, sortedRates, order);
    }
}
