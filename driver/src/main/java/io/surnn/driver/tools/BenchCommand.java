package io.surnn.driver.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.ops.gate.GateMode;
import io.surnn.ops.layers.CellType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.api.Layer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code surnn bench}: tokens/s of each su-layer on its sparse path and its dense path (the same
 * layer, every row computed) and of DL4J's LSTM at the same width, in one run, with the ratios
 * sparse/dense printed per (cell, hidden, rate, phase). The update rate is pinned through the gate's
 * initial update rate p0 and the measured rate is reported.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the suRNN layers: sparse vs dense vs DL4J LSTM, tokens/s and ratios.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--out", description = "write the rows as JSON to this file")
    Path out;
    @Option(names = "--append", description = "with --out: keep the rows already in the file and add this run's")
    boolean append;
    @Option(names = "--hidden", split = ",", description = "hidden sizes, default ${DEFAULT-VALUE}")
    int[] hidden = {256, 1024};
    @Option(names = "--batch", description = "minibatch size, default ${DEFAULT-VALUE}")
    int batch = 32;
    @Option(names = "--steps", description = "sequence length T, default ${DEFAULT-VALUE}")
    int steps = 1024;
    @Option(names = "--rates", split = ",", description = "target update rates p0, default ${DEFAULT-VALUE}")
    double[] rates = {1.0, 0.5, 0.17};
    @Option(names = "--cells", split = ",", defaultValue = "sugru", completionCandidates = LowerCaseNames.SuCells.class,
            description = "su-cells (${COMPLETION-CANDIDATES}), default ${DEFAULT-VALUE}")
    CellType[] cells;
    @Option(names = "--gate", defaultValue = "rhythmic", completionCandidates = LowerCaseNames.Gates.class,
            description = "gate mode of the su-layers (${COMPLETION-CANDIDATES}), default ${DEFAULT-VALUE}")
    GateMode gate;
    @Option(names = "--phases", split = ",", description = "inference and/or training, default ${DEFAULT-VALUE}")
    String[] phases = {"inference", "training"};
    @Option(names = "--no-lstm", description = "skip the DL4J LSTM baseline")
    boolean noLstm;
    @Option(names = "--no-gemm", description = "skip the gemm rows (ND4J's matrix multiply at the dense layer's shapes)")
    boolean noGemm;
    @Option(names = "--stream-hidden", split = ",", description = "hidden sizes of the batch-1 streaming rows (rnnTimeStep, one step per call); empty = none, default ${DEFAULT-VALUE}")
    int[] streamHidden = {1024};
    @Option(names = "--no-stream", description = "skip the batch-1 streaming rows")
    boolean noStream;
    @Option(names = "--stream-rates", split = ",", description = "target update rates of the streaming rows, default ${DEFAULT-VALUE}")
    double[] streamRates = {0.17};
    @Option(names = "--stream-steps", description = "timed single-step calls per streaming row, default ${DEFAULT-VALUE}")
    int streamSteps = 256;
    @Option(names = "--repeats", description = "timed rounds; each round times every row of a (hidden, phase) group once, in turn (lower median reported), default ${DEFAULT-VALUE}")
    int repeats = 3;
    @Option(names = "--warmup", description = "untimed warm-up iterations (on the first 64 steps), default ${DEFAULT-VALUE}")
    int warmup = 1;
    @Option(names = "--max-seconds", description = "time budget per row of a group: no new round starts once a group has used this times its rows, default ${DEFAULT-VALUE}")
    double maxSeconds = 15;
    @Option(names = "--seed", description = "seed of inputs and gates, default ${DEFAULT-VALUE}")
    long seed = 7;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "bench: batch %d, steps %d, gate %s, warmup %d, rounds <= %d (budget %.0fs per row), OMP threads %s%n",
                batch, steps, gate.name().toLowerCase(Locale.ROOT), warmup, repeats, maxSeconds, System.getenv().getOrDefault("OMP_NUM_THREADS", "(default)"));
        w.println(header());
        w.flush();
        List<BenchRow> rows = new ArrayList<>();
        for (int h : hidden) {
            LayerBench bench = new LayerBench(h, batch, steps, seed);
            for (String phase : phases) {
                rows.addAll(group(w, bench, h, phase));
            }
        }
        for (int h : noStream ? new int[0] : streamHidden) {
            for (CellType cell : cells) {
                for (double rate : streamRates) {
                    rows.add(stream(w, cell, gate.name(), "sparse", h, rate));
                    rows.add(stream(w, cell, gate.name(), "dense", h, rate));
                }
            }
            if (!noLstm) {
                rows.add(stream(w, CellType.LSTM, "-", "dl4j-lstm", h, 1.0));
            }
        }
        for (int i = 0; i < rows.size(); i++) {
            BenchRow r = rows.get(i);
            BenchRow limit = find(rows, r, "gemm");
            rows.set(i, r.withShare(limit == null ? 0 : limit.gflops()));
        }
        w.println();
        w.println("ratios (same run):");
        for (BenchRow r : rows) {
            if (r.path().equals("sparse")) {
                BenchRow d = find(rows, r, "dense");
                BenchRow l = find(rows, r, "dl4j-lstm");
                w.printf(Locale.ROOT, "  %-7s h=%-5d b=%-3d %-9s rate %.3f  sparse/dense %6.2fx%s  GFLOP/s sparse %.1f dense %.1f%s%n",
                        r.cell(), r.hidden(), r.batch(), r.phase(), r.update_rate(), r.tokens_per_s() / d.tokens_per_s(),
                        l == null ? "" : String.format(Locale.ROOT, "  sparse/dl4j-lstm %6.2fx", r.tokens_per_s() / l.tokens_per_s()),
                        r.gflops(), d.gflops(), d.gemm_share() > 0
                                ? String.format(Locale.ROOT, " (dense at %.0f%% of gemm)", 100 * d.gemm_share()) : "");
            }
        }
        if (out != null) {
            ObjectMapper json = new ObjectMapper();
            List<Object> all = new ArrayList<>();
            if (append && java.nio.file.Files.exists(out)) {
                try {
                    all.addAll(json.readValue(out.toFile(), List.class));
                } catch (java.io.IOException e) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "--append: " + out + " is not a JSON list of rows: " + e.getMessage());
                }
            }
            all.addAll(rows);
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            json.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
            java.nio.file.Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            w.println((append ? "rows appended to " : "rows written to ") + out + " (" + all.size() + " rows)");
        }
        w.flush();
        return 0;
    }

    /** One timed thing of a group: a layer, or the gemm pass (layer == null). */
    private static final class Entry {
        final String cell;
        final String gate;
        final String path;
        final double rate;
        final int blocks;
        final Layer layer;
        final Runnable gemm;
        final List<Double> seconds = new ArrayList<>();

        Entry(String cell, String gate, String path, double rate, int blocks, Layer layer, Runnable gemm) {
            this.cell = cell;
            this.gate = gate;
            this.path = path;
            this.rate = rate;
            this.blocks = blocks;
            this.layer = layer;
            this.gemm = gemm;
        }
    }

    /**
     * Every row of one (hidden, phase): the gemm limit per su-cell, DL4J's LSTM, and sparse/dense per cell and
     * rate, measured in interleaved rounds (each round times every entry once, in turn), so that a slow
     * minute of a shared machine hits all rows alike; the median over rounds is reported.
     */
    private List<BenchRow> group(PrintWriter w, LayerBench bench, int h, String phase) {
        boolean training = phase.equals("training");
        List<Entry> entries = new ArrayList<>();
        for (CellType cell : noGemm ? new CellType[0] : cells) {
            entries.add(new Entry(name(cell), "-", "gemm", 1.0, cell.blocks, null, bench.gemmPass(cell.blocks, training)));
        }
        if (!noLstm) {
            entries.add(new Entry("lstm", "-", "dl4j-lstm", 1.0, CellType.LSTM.blocks,
                    bench.layer(CellType.LSTM, gate, true, 1.0, seed), null));
        }
        for (CellType cell : cells) {
            for (double rate : rates) {
                for (String path : new String[]{"sparse", "dense"}) {
                    entries.add(new Entry(name(cell), gate.name().toLowerCase(Locale.ROOT), path, rate, cell.blocks,
                            bench.layer(cell, gate, path.equals("sparse"), rate, seed), null));
                }
            }
        }
        for (Entry e : entries) {
            if (e.layer != null) {
                bench.warm(e.layer, training, warmup);
            }
        }
        long start = System.nanoTime();
        for (int round = 0; round < repeats; round++) {
            for (Entry e : entries) {
                if (e.layer != null) {
                    e.seconds.add(bench.once(e.layer, training));
                } else {
                    long t0 = System.nanoTime();
                    e.gemm.run();
                    e.seconds.add((System.nanoTime() - t0) / 1e9);
                }
            }
            w.printf(Locale.ROOT, "  (h=%d %s: round %d of %d done)%n", h, phase, round + 1, repeats);
            w.flush();
            if ((System.nanoTime() - start) / 1e9 > maxSeconds * entries.size()) {
                break; // the group's time budget: max-seconds per entry
            }
        }
        List<BenchRow> out = new ArrayList<>();
        for (Entry e : entries) {
            double[] t = e.seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double med = t[(t.length - 1) / 2]; // lower median: with 2 rounds, the faster one
            double tps = bench.tokens() / med;
            double measured = e.layer instanceof io.surnn.ops.layers.UpdateRateAware u ? u.lastUpdateRate() : 1.0;
            double work = e.path.equals("sparse") ? measured : 1.0;
            BenchRow r = new BenchRow(e.cell, e.gate, e.path, h, batch, steps, e.rate, measured, phase, tps, med * 1e3,
                    t.length, work * LayerBench.gemmFlops(e.blocks, h, training) * tps / 1e9, 0, 0);
            out.add(r);
            w.println(format(r));
        }
        for (BenchRow r : out) {
            if (r.path().equals("sparse")) {
                BenchRow d = find(out, r, "dense");
                w.printf(Locale.ROOT, "  -> %s h=%d rate %.2f %s: sparse/dense = %.2fx%n", r.cell(), h, r.update_rate(), phase,
                        r.tokens_per_s() / d.tokens_per_s());
            }
        }
        w.flush();
        for (Entry e : entries) {
            if (e.layer != null) {
                e.layer.clear();
            }
        }
        return out;
    }

    private static String name(CellType cell) {
        return cell.name().toLowerCase(Locale.ROOT);
    }

    /** Batch-1 streaming row: streamSteps single-step rnnTimeStep calls. */
    private BenchRow stream(PrintWriter w, CellType cell, String gateName, String path, int h, double rate) {
        LayerBench bench = new LayerBench(h, 1, 1, seed);
        Layer layer = bench.layer(cell, gate, !path.equals("dense"), rate, seed);
        double sec = LayerBench.streamSeconds(layer, h, streamSteps, Math.max(8, warmup), seed);
        double measured = layer instanceof io.surnn.ops.layers.UpdateRateAware u ? u.lastUpdateRate() : 1.0;
        double tps = streamSteps / sec;
        double work = path.equals("sparse") ? rate : 1.0; // one step measures no rate: the target is reported
        BenchRow r = new BenchRow(cell.name().toLowerCase(Locale.ROOT), gateName.toLowerCase(Locale.ROOT), path, h, 1,
                streamSteps, rate, path.equals("sparse") ? rate : measured, "inference", tps, sec * 1e3, 1,
                work * LayerBench.gemmFlops(blocks(cell), h, false) * tps / 1e9, 0, sec * 1e3 / streamSteps);
        w.println(format(r) + String.format(Locale.ROOT, "  (batch-1 streaming, %.3f ms/step)", r.latency_ms()));
        w.flush();
        return r;
    }

    private static int blocks(CellType cell) {
        return cell.blocks;
    }

    private static BenchRow find(List<BenchRow> rows, BenchRow like, String path) {
        for (BenchRow r : rows) {
            boolean sameRate = path.equals("dl4j-lstm") || (path.equals("gemm") && r.cell().equals(like.cell()))
                    || (r.target_rate() == like.target_rate() && r.cell().equals(like.cell()));
            if (r.path().equals(path) && r.hidden() == like.hidden() && r.batch() == like.batch()
                    && r.phase().equals(like.phase()) && sameRate) {
                return r;
            }
        }
        return null;
    }

    private static String header() {
        return String.format(Locale.ROOT, "%-7s %-9s %-10s %6s %5s %6s %6s %7s %-9s %12s %10s %3s %8s", "cell", "gate", "path",
                "hidden", "batch", "steps", "p0", "rate", "phase", "tokens/s", "median ms", "n", "GFLOP/s");
    }

    private static String format(BenchRow r) {
        return String.format(Locale.ROOT, "%-7s %-9s %-10s %6d %5d %6d %6.2f %7.3f %-9s %12.0f %10.1f %3d %8.1f", r.cell(), r.gate(),
                r.path(), r.hidden(), r.batch(), r.steps(), r.target_rate(), r.update_rate(), r.phase(), r.tokens_per_s(),
                r.median_ms(), r.repeats(), r.gflops());
    }

    private void validate() {
        for (int h : hidden) if (h < 1) throw bad("--hidden", h, ">= 1");
        for (double r : rates) if (!(r > 0 && r <= 1)) throw bad("--rates", r, "in (0, 1]");
        for (CellType c : cells) if (c == CellType.LSTM) throw bad("--cells", c, "an su-cell (the LSTM baseline is always run unless --no-lstm)");
        for (String p : phases) if (!p.equals("inference") && !p.equals("training")) throw bad("--phases", p, "inference or training");
        if (batch < 1) throw bad("--batch", batch, ">= 1");
        if (steps < 1) throw bad("--steps", steps, ">= 1");
        if (repeats < 1) throw bad("--repeats", repeats, ">= 1");
        if (warmup < 0) throw bad("--warmup", warmup, ">= 0");
        for (int h : streamHidden) if (h < 1) throw bad("--stream-hidden", h, ">= 1");
        for (double r : streamRates) if (!(r > 0 && r <= 1)) throw bad("--stream-rates", r, "in (0, 1]");
        if (streamSteps < 1) throw bad("--stream-steps", streamSteps, ">= 1");
    }

    private picocli.CommandLine.ParameterException bad(String option, Object value, String rule) {
        return new picocli.CommandLine.ParameterException(spec.commandLine(), option + " must be " + rule + ", got " + value);
    }
}
