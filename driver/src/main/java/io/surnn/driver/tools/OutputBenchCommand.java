package io.surnn.driver.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.ops.layers.vocab.AdaptiveSoftmax;
import io.surnn.ops.layers.vocab.VocabClusters;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.impl.LossSparseMCXENT;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code surnn bench-output}: tokens/s of a language model's output layer alone, DL4J's full softmax
 * (RnnOutputLayer, sparse cross-entropy: what a model with {@code model.output.softmax = full} trains)
 * against the adaptive softmax at the same width, in one run, alternating the two within each round.
 * Inputs are random hidden states [B, width, T]; targets are drawn from a Zipf(1) distribution over the
 * frequency-ordered vocabulary (word-level corpora are close to it; the share of tokens reaching the
 * tails is what the adaptive softmax's cost depends on, and it is printed). Training = one fit step
 * (forward, backward and the Adam update); inference = the full, normalised distribution [B, V, T].
 */
@Command(name = "bench-output", mixinStandardHelpOptions = true,
        description = "Benchmark a language model's output layer: full vs adaptive softmax, tokens/s and ratios.")
public final class OutputBenchCommand implements Callable<Integer> {

    /** One measurement, the JSON row of docs/bench/lm-output.json. */
    public record Row(String softmax, int vocab, int width, String phase, double tokens_per_s, double median_ms,
                      int batch, int steps, int repeats, String cutoffs, double tail_share) {
    }

    @Option(names = "--vocab", split = ",", description = "vocabulary sizes, default ${DEFAULT-VALUE}")
    int[] vocab = {33_278, 267_735};
    @Option(names = "--width", description = "hidden width feeding the output layer, default ${DEFAULT-VALUE}")
    int width = 400;
    @Option(names = "--batch", description = "minibatch size, default ${DEFAULT-VALUE}")
    int batch = 32;
    @Option(names = "--steps", description = "time steps per minibatch, default ${DEFAULT-VALUE}")
    int steps = 32;
    @Option(names = "--shrink", description = "adaptive tail shrink factor, default ${DEFAULT-VALUE}")
    int shrink = 4;
    @Option(names = "--phases", split = ",", description = "inference and/or training, default ${DEFAULT-VALUE}")
    String[] phases = {"training", "inference"};
    @Option(names = "--repeats", description = "timed rounds (median reported), default ${DEFAULT-VALUE}")
    int repeats = 3;
    @Option(names = "--warmup", description = "untimed rounds first, default ${DEFAULT-VALUE}")
    int warmup = 1;
    @Option(names = "--out", description = "write the rows as JSON to this file")
    Path out;
    @Option(names = "--seed", description = "seed of inputs, targets and weights, default ${DEFAULT-VALUE}")
    long seed = 7;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String p : phases) {
            if (!p.equals("inference") && !p.equals("training")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--phases: '" + p + "' is not one of inference, training");
            }
        }
        if (width < 1 || batch < 1 || steps < 1 || repeats < 1 || shrink < 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--width, --batch, --steps, --repeats and --shrink must be >= 1");
        }
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "bench-output: width %d, batch %d x %d steps (%d tokens), Zipf(1) targets, warmup %d, %d rounds, OMP threads %s%n",
                width, batch, steps, batch * steps, warmup, repeats, System.getenv().getOrDefault("OMP_NUM_THREADS", "(default)"));
        List<Row> rows = new ArrayList<>();
        for (int v : vocab) {
            int[] cuts = VocabClusters.autoCutoffs(v);
            Nd4j.getRandom().setSeed(seed);
            INDArray x = Nd4j.rand(DataType.FLOAT, batch, width, steps).subi(0.5);
            INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 1, steps);
            double tail = zipfTargets(y, v, cuts, seed);
            for (String phase : phases) {
                MultiLayerNetwork full = net(v, false, cuts);
                MultiLayerNetwork adaptive = net(v, true, cuts);
                double[] tf = new double[repeats];
                double[] ta = new double[repeats];
                for (int r = -warmup; r < repeats; r++) {
                    double a = time(full, phase, x, y);
                    double b = time(adaptive, phase, x, y);
                    if (r >= 0) {
                        tf[r] = a;
                        ta[r] = b;
                    }
                }
                Row rf = row("full", v, phase, tf, "", tail);
                Row ra = row("adaptive", v, phase, ta, Arrays.toString(cuts), tail);
                rows.add(rf);
                rows.add(ra);
                w.printf(Locale.ROOT, "  V=%-7d %-9s full %9.0f tok/s  adaptive %9.0f tok/s  adaptive/full %6.2fx  (cut-offs %s, %.1f%% of targets in tails)%n",
                        v, phase, rf.tokens_per_s(), ra.tokens_per_s(), ra.tokens_per_s() / rf.tokens_per_s(),
                        Arrays.toString(cuts), 100 * tail);
                w.flush();
            }
        }
        if (out != null) {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), rows);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            w.println("rows written to " + out + " (" + rows.size() + " rows)");
        }
        w.flush();
        return 0;
    }

    private Row row(String softmax, int v, String phase, double[] seconds, String cuts, double tail) {
        double[] s = seconds.clone();
        Arrays.sort(s);
        double med = s[s.length / 2];
        return new Row(softmax, v, width, phase, batch * steps / med, med * 1000, batch, steps, repeats, cuts, tail);
    }

    /** Zipf(1) word ids into y [B, 1, T]; returns the share of targets outside the head. */
    private double zipfTargets(INDArray y, int v, int[] cuts, long s) {
        double[] cdf = new double[v];
        double z = 0;
        for (int i = 0; i < v; i++) {
            z += 1.0 / (i + 1);
            cdf[i] = z;
        }
        Random r = new Random(s + 1);
        int tail = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < steps; t++) {
                int id = Arrays.binarySearch(cdf, r.nextDouble() * z);
                id = Math.min(v - 1, id < 0 ? -id - 1 : id);
                y.putScalar(b, 0, t, id);
                if (cuts.length > 0 && id >= cuts[0]) tail++;
            }
        }
        return tail / (double) (batch * steps);
    }

    private MultiLayerNetwork net(int v, boolean adaptive, int[] cuts) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Adam(1e-3)).list();
        if (adaptive) {
            AdaptiveSoftmax.Builder b = new AdaptiveSoftmax.Builder().cutoffs(cuts).tailShrink(shrink);
            b.nIn(width).nOut(v);
            list.layer(b.build());
        } else {
            list.layer(new RnnOutputLayer.Builder(new LossSparseMCXENT()).activation(Activation.SOFTMAX).nIn(width)
                    .nOut(v).dataFormat(RNNFormat.NCW).build());
        }
        MultiLayerConfiguration conf = list.build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static double time(MultiLayerNetwork net, String phase, INDArray x, INDArray y) {
        long t0 = System.nanoTime();
        if (phase.equals("training")) {
            net.fit(x, y);
        } else {
            INDArray p = net.output(x, false);
            if (p.size(1) < 1) throw new IllegalStateException("empty output");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
