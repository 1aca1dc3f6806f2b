package io.surnn.driver.generate;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * Samples a continuation from a language model with {@code rnnTimeStep}: the prompt is fed once
 * ([1, 1, P] ids), then one id per step ([1, 1, 1]) while the layers keep their state. Temperature
 * divides the log-probabilities; top-k keeps the k most likely ids (0 = all). Seeded, so the same
 * seed gives the same text.
 */
public final class Sampler {
    private final MultiLayerNetwork net;
    private final double temperature;
    private final int topK;
    private final Random rnd;

    public Sampler(MultiLayerNetwork net, double temperature, int topK, long seed) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("--temperature must be > 0, got " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("--top-k must be >= 0, got " + topK);
        }
        this.net = net;
        this.temperature = temperature;
        this.topK = topK;
        this.rnd = new Random(seed);
    }

    /** Generates {@code n} ids after {@code prompt}, handing each to {@code sink} as soon as it is drawn. */
    public int[] generate(int[] prompt, int n, IntConsumer sink) {
        net.rnnClearPreviousState();
        INDArray in = Nd4j.create(Arrays.stream(prompt).asDoubleStream().toArray(), new long[] {1, 1, prompt.length}); // [1, 1, P]
        INDArray out = net.rnnTimeStep(in);                                      // [1, V, P]
        int[] generated = new int[n];
        for (int i = 0; i < n; i++) {
            INDArray probs = out.size(2) == 1 && out.rank() == 3
                    ? out.reshape(out.size(1))                                   // [V]
                    : out.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(out.size(2) - 1)); // [V] at the last prompt step
            int id = draw(probs.toDoubleVector());
            generated[i] = id;
            sink.accept(id);
            out = net.rnnTimeStep(Nd4j.create(new double[] {id}, new long[] {1, 1, 1}));   // [1, V, 1]
        }
        return generated;
    }

    int draw(double[] p) {
        double[] logits = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            logits[i] = Math.log(Math.max(p[i], 1e-30)) / temperature;
        }
        double cutoff = Double.NEGATIVE_INFINITY;
        if (topK > 0 && topK < p.length) {
            double[] sorted = logits.clone();
            Arrays.sort(sorted);
            cutoff = sorted[sorted.length - topK];
        }
        double max = Arrays.stream(logits).max().orElse(0);
        double total = 0;
        double[] w = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            w[i] = logits[i] >= cutoff ? Math.exp(logits[i] - max) : 0;
            total += w[i];
        }
        double u = rnd.nextDouble() * total;
        for (int i = 0; i < w.length; i++) {
            u -= w[i];
            if (u <= 0 && w[i] > 0) {
                return i;
            }
        }
        for (int i = w.length - 1; i >= 0; i--) {
            if (w[i] > 0) {
                return i;
            }
        }
        return 0;
    }
}
