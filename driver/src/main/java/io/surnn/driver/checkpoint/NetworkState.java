package io.surnn.driver.checkpoint;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Map;
import java.util.Optional;

/**
 * Whether a network's state is fit to be saved or trained on: every parameter array and the updater
 * state (Adam's moment estimates) finite, and the regularisation term of the parameters finite too.
 *
 * <p>Design: the last condition catches weights that are still finite but so large that DL4J's L2 or
 * weight-decay term (half the squared norm, computed in float32) overflows; the next minibatch score
 * of such a network is infinite, so a checkpoint of it is not a state to resume from. A sum of all
 * parameters is not enough: huge finite values pass it, and a NaN in the updater state is not in it.
 */
public final class NetworkState {
    private NetworkState() {}

    /**
     * What is not finite in {@code net}: e.g. "parameter 0_W", "updater state", "regularisation term
     * of the parameters (Infinity)"; empty when everything is finite.
     */
    public static Optional<String> nonFinite(Model net) {
        for (Map.Entry<String, INDArray> p : net.paramTable().entrySet()) {
            if (!finite(p.getValue())) {
                return Optional.of("parameter " + p.getKey() + " not finite");
            }
        }
        INDArray updater = updaterState(net);
        if (updater != null && !finite(updater)) {
            return Optional.of("updater state not finite");
        }
        double reg = regularization(net);
        if (!Double.isFinite(reg)) {
            return Optional.of("regularisation term of the parameters is " + reg + " (weights too large)");
        }
        return Optional.empty();
    }

    /** The L1/L2/weight-decay term DL4J adds to a score for the current parameters (0 without any). */
    public static double regularization(Model net) {
        if (net instanceof ComputationGraph g) {
            return g.calcRegularizationScore(true);
        }
        if (net instanceof MultiLayerNetwork n) {
            return n.calcRegularizationScore(true);
        }
        return 0;
    }

    private static INDArray updaterState(Model net) {
        if (net instanceof ComputationGraph g) {
            return g.getUpdater(false) == null ? null : g.getUpdater(false).getStateViewArray();
        }
        if (net instanceof MultiLayerNetwork n) {
            Updater u = n.getUpdater(false);
            return u == null ? null : u.getStateViewArray();
        }
        return null;
    }

    private static boolean finite(INDArray a) {
        return a == null || a.isEmpty() || !(a.isNaN().any() || a.isInfinite().any());
    }
}
