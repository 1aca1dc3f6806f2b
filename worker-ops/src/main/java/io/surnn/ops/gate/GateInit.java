package io.surnn.ops.gate;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Initialisation of the rhythmic gate to a target initial update rate p0.
 *
 * <p>Design note: with phases drawn uniformly, the time average of {@code H(a_{t,i})} over a long
 * sequence equals the probability, over independent uniform phases theta_k, that
 * {@code S_i = sum_k alpha_{i,k} sin(theta_k)} exceeds {@code -b_i} (the frequencies are incommensurate).
 * So we draw alpha, phi and the shared omega first and then set each neuron's offset
 * {@code b_i = -quantile_{1-p0}(S_i)} from a Monte-Carlo sample of S_i ({@link #QUANTILE_SAMPLES}
 * phase draws, seeded). For p0 = 1 the offset is {@code sum_k |alpha_{i,k}| + 0.1}: always open.
 *
 * <ul>
 *   <li>omega_k = 2 pi / P_k, periods P_k log-spaced from {@link #MIN_PERIOD} to {@link #MAX_PERIOD}
 *       steps (K = 1: the geometric mean, 64): several time scales, shared by the layer;</li>
 *   <li>alpha_{i,k} ~ U(0.5, 1.5) / sqrt(K) (total swing independent of K; diversity across neurons);</li>
 *   <li>phi_{i,k} ~ U(0, 2 pi).</li>
 * </ul>
 */
public final class GateInit {

    /** Shortest initial period in steps. */
    public static final double MIN_PERIOD = 4.0;
    /** Longest initial period in steps. */
    public static final double MAX_PERIOD = 1024.0;
    /** Monte-Carlo phase draws per neuron for the offset quantile. */
    public static final int QUANTILE_SAMPLES = 4096;

    private GateInit() {
    }

    /** Initial angular frequencies for K harmonics. */
    public static double[] omegas(int k) {
        double[] w = new double[k];
        for (int j = 0; j < k; j++) {
            double frac = k == 1 ? 0.5 : (double) j / (k - 1);
            double period = MIN_PERIOD * Math.pow(MAX_PERIOD / MIN_PERIOD, frac);
            w[j] = 2 * Math.PI / period;
        }
        return w;
    }

    /**
     * Fills the gate parameter views: gb [1,H], galpha [H,K], gphi [H,K], gomega [1,K].
     *
     * @param p0 target fraction of open (neuron, step) pairs, in (0, 1]
     */
    public static void initialise(int h, int k, double p0, long seed, INDArray gb, INDArray galpha,
                                  INDArray gphi, INDArray gomega) {
        if (!(p0 > 0 && p0 <= 1)) {
            throw new IllegalArgumentException("initialUpdateRate = " + p0 + " must be in (0, 1]");
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] omega = omegas(k);
        double[] alpha = new double[h * k];
        double[] phi = new double[h * k];
        double[] b = new double[h];
        double scale = 1.0 / Math.sqrt(k);
        double[] sample = new double[QUANTILE_SAMPLES];
        for (int i = 0; i < h; i++) {
            double sumAbs = 0;
            for (int j = 0; j < k; j++) {
                alpha[i * k + j] = (0.5 + rnd.nextDouble()) * scale;
                phi[i * k + j] = rnd.nextDouble() * 2 * Math.PI;
                sumAbs += alpha[i * k + j];
            }
            if (p0 >= 1.0) {
                b[i] = sumAbs + 0.1;
                continue;
            }
            for (int s = 0; s < QUANTILE_SAMPLES; s++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += alpha[i * k + j] * Math.sin(rnd.nextDouble() * 2 * Math.PI);
                }
                sample[s] = sum;
            }
            Arrays.sort(sample);
            // P(S > -b) = p0  <=>  -b = quantile_{1-p0}(S)
            int idx = (int) Math.min(QUANTILE_SAMPLES - 1, Math.max(0, Math.round((1 - p0) * QUANTILE_SAMPLES)));
            b[i] = -sample[idx];
        }
        gb.assign(vector(b, gb));
        galpha.assign(vector(alpha, galpha));
        gphi.assign(vector(phi, gphi));
        gomega.assign(vector(omega, gomega));
    }

    private static INDArray vector(double[] values, INDArray like) {
        return org.nd4j.linalg.factory.Nd4j.create(values, like.shape(), 'c').castTo(like.dataType());
    }
}
