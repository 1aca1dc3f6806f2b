package io.surnn.driver.tools;

import io.surnn.ops.data.DelayedRecall;
import io.surnn.ops.gate.GateMode;
import io.surnn.driver.export.NpzParams;
import io.surnn.ops.layers.CellType;
import io.surnn.ops.models.Readout;
import io.surnn.ops.models.SequenceClassifierBuilder;
import io.surnn.ops.models.UpdateRates;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.dataset.DataSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code surnn demo}: trains a small suGRU classifier on the delayed-recall task (one symbol, a long
 * blank gap, then a query) and prints the loss and each layer's measured update rate as it learns, then
 * the accuracy on held-out sequences. Training batches and the held-out set come from disjoint seeds.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Train a small suGRU on a generated delayed-recall task; print loss and update rate.")
public final class DemoCommand implements Callable<Integer> {
    /** The demo's surrogate width (narrower than the run default, {@code Defaults.SURROGATE_WIDTH}). */
    static final double DEMO_SURROGATE_WIDTH = 0.3;

    @Option(names = "--steps", description = "training steps (minibatches), default ${DEFAULT-VALUE}")
    int steps = 300;
    @Option(names = "--gap", description = "blank steps between the symbol and the query, default ${DEFAULT-VALUE}")
    int gap = 200;
    @Option(names = "--symbols", description = "number of symbols to remember (classes), default ${DEFAULT-VALUE}")
    int symbols = 4;
    @Option(names = "--noise", description = "noise alphabet size for the gap (0 = blank), default ${DEFAULT-VALUE}")
    int noise = 0;
    @Option(names = "--hidden", description = "hidden neurons, default ${DEFAULT-VALUE}")
    int hidden = 64;
    @Option(names = "--batch", description = "minibatch size, default ${DEFAULT-VALUE}")
    int batch = 32;
    @Option(names = "--lr", description = "Adam learning rate, default ${DEFAULT-VALUE}")
    double lr = 5e-3;
    @Option(names = "--p0", description = "initial update rate of the gate, default ${DEFAULT-VALUE}")
    double p0 = 0.2;
    @Option(names = "--gate", defaultValue = "rhythmic", completionCandidates = LowerCaseNames.Gates.class,
            description = "gate mode: ${COMPLETION-CANDIDATES}, default ${DEFAULT-VALUE}")
    GateMode gate;
    @Option(names = "--cell", defaultValue = "sugru", completionCandidates = LowerCaseNames.Cells.class,
            description = "cell: ${COMPLETION-CANDIDATES}, default ${DEFAULT-VALUE}")
    CellType cell;
    @Option(names = "--seed", description = "seed of the model and the data, default ${DEFAULT-VALUE}")
    long seed = 1;
    @Option(names = "--print-every", description = "print every N steps, default ${DEFAULT-VALUE}")
    int printEvery = 10;
    @Option(names = "--eval-size", description = "held-out sequences, default ${DEFAULT-VALUE}")
    int evalSize = 512;
    @Option(names = "--save", description = "write the trained parameters to this .npz file")
    Path save;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DelayedRecall task = new DelayedRecall(symbols, gap, noise);
        // one layer, no dropout, surrogate width 0.3: the demo's own model (docs/benchmarks.md has its figures)
        MultiLayerNetwork net = new SequenceClassifierBuilder().cell(cell).gateMode(gate).initialUpdateRate(p0)
                .surrogateWidth(DEMO_SURROGATE_WIDTH).vocabSize(task.vocabSize()).embeddingSize(16).hiddenSize(hidden)
                .layers(1).dropout(0.0).numClasses(symbols).readout(Readout.LAST).learningRate(lr).seed(seed)
                .buildNetwork();
        String gating = cell == CellType.LSTM ? "no gate" : String.format(Locale.ROOT, "gate %s, p0 %.2f", gate.name().toLowerCase(Locale.ROOT), p0);
        out.printf(Locale.ROOT, "delayed recall: %d symbols, gap %d (T = %d), %s hidden %d, %s, %d params%n",
                symbols, gap, task.length(), cell.name().toLowerCase(Locale.ROOT), hidden, gating, net.numParams());
        out.printf(Locale.ROOT, "chance: loss %.3f, accuracy %.3f%n", Math.log(symbols), 1.0 / symbols);
        long t0 = System.nanoTime();
        double ema = Double.NaN;
        for (int step = 1; step <= steps; step++) {
            net.fit(task.classification(batch, trainSeed(step)));
            ema = Double.isNaN(ema) ? net.score() : 0.9 * ema + 0.1 * net.score();
            if (step % printEvery == 0 || step == steps) {
                out.printf(Locale.ROOT, "step %5d  loss %.4f (avg %.4f)  update rate %s  %.1fs%n", step, net.score(), ema,
                        UpdateRates.format(net), (System.nanoTime() - t0) / 1e9);
                out.flush();
            }
        }
        DataSet held = task.classification(evalSize, heldOutSeed());
        Evaluation eval = new Evaluation(symbols);
        eval.eval(held.getLabels(), net.output(held.getFeatures()));
        out.printf(Locale.ROOT, "held-out accuracy %.3f on %d sequences (chance %.3f)%n", eval.accuracy(), evalSize, 1.0 / symbols);
        if (save != null) {
            NpzParams.save(net, save);
            out.println("parameters written to " + save);
        }
        return 0;
    }

    private long trainSeed(int step) {
        return seed * 1_000_003L + step;
    }

    private long heldOutSeed() {
        return -seed - 1; // negative: never a training seed
    }
}
