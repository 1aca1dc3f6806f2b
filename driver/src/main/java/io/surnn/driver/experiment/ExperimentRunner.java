package io.surnn.driver.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surnn.driver.config.ConfigError;
import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.ModelConfig;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.data.Minibatches;
import io.surnn.driver.data.Record;
import io.surnn.driver.data.SplitReader;
import io.surnn.driver.report.Charts;
import io.surnn.driver.train.ModelDirectory;
import io.surnn.driver.train.ModelFactory;
import io.surnn.driver.train.TrainingDivergedException;
import io.surnn.driver.train.TrainingFailedException;
import io.surnn.driver.train.TrainingRun;
import io.surnn.ops.data.DelayedRecall;
import io.surnn.ops.layers.SuRecurrentLayer;
import io.surnn.ops.models.Networks;
import io.surnn.ops.models.Readout;
import io.surnn.ops.models.SequenceClassifierBuilder;
import io.surnn.ops.models.UpdateRates;
import io.surnn.prep.PrepMain;
import io.surnn.prep.core.DatasetWriter;
import io.surnn.prep.format.DatasetFormat;
import io.surnn.prep.format.DatasetManifest;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.common.primitives.Pair;
import org.nd4j.evaluation.classification.Evaluation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs an {@link ExperimentSpec}: every part, every arm × seed (× swept axis), then writes the rows
 * ({@link Results}) and, for the gradient path, a figure, into the output directory, printing one
 * progress line per run.
 *
 * <ul>
 *   <li>TRAIN: the data is made once per part (surnn prep in-process, or a synthetic stand-in) under
 *       the work directory, or taken from {@code --data-root}; each arm is sized to the target
 *       parameter count ({@link ArmSizer}); each run is an ordinary {@link TrainingRun} (embedded
 *       Spark, the task config's master) with {@code train.max-seconds} = the budget, in its own
 *       output.dir ({@code WORK/ARM-sSEED}, its console output in {@code WORK/logs}); the row's value
 *       is the test metric of its metrics.json. Seeds run outermost, so a cut-short experiment has
 *       every arm at the first seeds. A run that diverges becomes a row without a value.</li>
 *   <li>RECALL: worker-ops' {@link DelayedRecall}, no Spark: per gap, seed and arm a fresh network
 *       (built by {@link ModelFactory} from the arm's config, as a run would build it) fits generated
 *       minibatches until the budget or max-steps, then is scored on held-out sequences of other seeds.</li>
 *   <li>GRADIENT_PATH: untrained networks of equal width reading real-valued inputs; the value is the
 *       mean over the batch of ||dL/dx_0||, the gradient of the loss at the last step with respect to
 *       the first input, from DL4J's own backprop ({@code calculateGradients}).</li>
 *   <li>INFERENCE: the trained models of another experiment's runs, on a test minibatch: each
 *       su-layer's update rate, and the median time of a forward pass with the sparse kernel and with
 *       the dense reference kernel ({@code sparse = false} on the same parameters).</li>
 * </ul>
 */
public final class ExperimentRunner {
    /**
     * How to run.
     *
     * @param work     parent of the experiments' work directories (runs, data, logs)
     * @param out      where NAME.json / NAME.md (and figures) go
     * @param dataRoot where TRAIN parts' {@code data.path} is resolved
     * @param budgetS  overrides every part's budget, or null
     * @param seeds    overrides every part's seed count, or null
     * @param smoke    the smoke blocks are applied; files are NAME-smoke.*
     * @param command  the command line, for the result file's header
     */
    public record Options(Path work, Path out, Path dataRoot, Double budgetS, Integer seeds, boolean smoke, String command) {}

    /** The delayed-recall model, as {@code surnn demo} builds it. */
    static final String RECALL_BASE = String.join("\n",
            "surnn {",
            "  task = recall-gap",
            "  data.path = \"(generated in memory)\"",
            "  model { family = classifier, cell = sugru, embedding = 16, hidden = 64, layers = 1, dropout = 0.0, pooling = last",
            "          gate.width = 0.3 }",
            "  train.optimizer { name = adam, lr = 5e-3 }",
            "}");

    /** The gradient-path model: one layer reading real-valued inputs, read out at the last step. */
    static final String GRADIENT_BASE = String.join("\n",
            "surnn {",
            "  task = gradient-path",
            "  data.path = \"(random inputs)\"",
            "  model { family = classifier, cell = sugru, hidden = 64, layers = 1, dropout = 0.0, pooling = last }",
            "}");

    private final ExperimentSpec spec;
    private final Options o;
    private final PrintStream out;
    private final Configuration hadoop = new Configuration();
    private final Results results = new Results();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, byte[]> figures = new LinkedHashMap<>();

    public ExperimentRunner(ExperimentSpec spec, Options o, PrintStream out) {
        this.spec = spec;
        this.o = o;
        this.out = out;
    }

    private String base() {
        return spec.name() + (o.smoke() ? "-smoke" : "");
    }

    /**
     * Checks every arm's overrides against reference.conf (building each arm's run config, the task
     * config's included, with a placeholder dataset), so a bad key stops the experiment before any data
     * is made or any run starts.
     */
    public static void check(ExperimentSpec spec) {
        for (ExperimentSpec.Part p : spec.parts()) {
            String base = switch (p.kind()) {
                case TRAIN -> null;
                case RECALL -> RECALL_BASE;
                case GRADIENT_PATH -> GRADIENT_BASE;
                case INFERENCE -> "";
            };
            if (p.kind() == ExperimentSpec.Kind.INFERENCE) {
                continue;   // its arms name trained runs; checked when they are looked up
            }
            if (p.kind() == ExperimentSpec.Kind.TRAIN && !Files.isRegularFile(p.config())) {
                throw new IllegalArgumentException(p.where() + ".config: no such task config " + p.config());
            }
            for (ExperimentSpec.Arm arm : p.arms()) {
                config(p, arm, base, List.of("data.path=/placeholder"));
            }
        }
    }

    /** Runs every part; returns the files written (NAME.json, NAME.md, figures). */
    public List<Path> run() throws IOException {
        check(spec);
        Path work = o.work().resolve(base());
        for (ExperimentSpec.Part p : spec.parts()) {
            Path partDir = spec.parts().size() > 1 ? work.resolve(p.task()) : work;
            Files.createDirectories(partDir);
            switch (p.kind()) {
                case TRAIN -> train(p, partDir);
                case RECALL -> recall(p);
                case GRADIENT_PATH -> gradientPath(p);
                case INFERENCE -> inference(p);
            }
        }
        List<String> header = new ArrayList<>();
        if (o.smoke()) {
            header.add("**Smoke run** (tiny sizes, seconds of training): it checks that the machinery works; "
                    + "the numbers are not findings.");
        }
        if (!spec.description().isEmpty()) {
            header.add(spec.description());
        }
        header.add("Command: `" + o.command() + "`. Machine: " + machine() + ". Date: " + LocalDate.now() + ". "
                + "Spread: sample standard deviation over seeds.");
        header.addAll(notes);
        List<Path> files = new ArrayList<>(results.write(o.out(), base(), "Experiment " + base(), header));
        for (Map.Entry<String, byte[]> f : figures.entrySet()) {
            Path png = o.out().resolve(f.getKey());
            Files.write(png, f.getValue());
            files.add(png);
        }
        out.println("experiment " + spec.name() + ": " + results.rows().size() + " rows in "
                + files.stream().map(Path::toString).collect(Collectors.joining(", ")));
        return files;
    }

    /** "2 cores (AMD EPYC …), Linux amd64, Java 17": the processor from /proc/cpuinfo where there is one. */
    static String machine() {
        String cpu = "";
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            cpu = lines.filter(l -> l.startsWith("model name")).map(l -> " (" + l.substring(l.indexOf(':') + 1).trim() + ")")
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            // not Linux: the core count alone
        }
        return Runtime.getRuntime().availableProcessors() + " cores" + cpu + ", " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ", Java " + Runtime.version().feature();
    }

    private double budget(ExperimentSpec.Part p) {
        return o.budgetS() != null ? o.budgetS() : p.budgetS();
    }

    private int seeds(ExperimentSpec.Part p) {
        return o.seeds() != null ? o.seeds() : p.seeds();
    }

    /** The arm's run config: the part's and the arm's overrides, then the runner's own. */
    private static RunConfig config(ExperimentSpec.Part p, ExperimentSpec.Arm arm, String baseText, List<String> extra) {
        List<String> all = new ArrayList<>(p.overrides());
        all.addAll(arm.overrides());
        all.addAll(extra);
        try {
            return baseText == null ? ConfigLoader.load(p.config(), all) : ConfigLoader.parse(baseText, p.where(), all);
        } catch (ConfigError e) {
            throw new IllegalArgumentException(p.where() + ": arm " + arm.name() + ": " + e.problems().get(0)
                    + (e.problems().size() > 1 ? " (and " + (e.problems().size() - 1) + " more problems)" : ""), e);
        }
    }

    /** Sizes every arm; returns arm name → width. */
    private Map<String, ArmSizer.Size> size(ExperimentSpec.Part p, String baseText, DatasetManifest m, List<String> extra) {
        Map<String, ArmSizer.Size> sizes = new LinkedHashMap<>();
        long target = p.targetParams();
        if (target == 0) {
            target = ModelFactory.parameterCount(config(p, p.arms().get(0), baseText, extra), m);
        }
        for (ExperimentSpec.Arm arm : p.arms()) {
            RunConfig at = config(p, arm, baseText, extra);  // every arm's overrides are checked before anything runs
            if (target < 0) {
                sizes.put(arm.name(), new ArmSizer.Size(at.model().hidden(), ModelFactory.parameterCount(at, m)));
                continue;
            }
            long t = target;
            IntFunction<RunConfig> withHidden = h -> {
                List<String> e = new ArrayList<>(extra);
                e.add("model.hidden=" + h);
                return config(p, arm, baseText, e);
            };
            sizes.put(arm.name(), ArmSizer.size(withHidden, m, t, p.where() + ": arm " + arm.name()));
        }
        String t = target > 0 ? "target " + target + " parameters (±5%): " : "no parameter target: ";
        out.println("experiment " + spec.name() + " (" + p.task() + "): " + t + sizes.entrySet().stream()
                .map(e -> e.getKey() + " hidden " + e.getValue().hidden() + " → " + e.getValue().params())
                .collect(Collectors.joining(", ")));
        return sizes;
    }

    // ---------------------------------------------------------------- TRAIN

    private void train(ExperimentSpec.Part p, Path partDir) throws IOException {
        String data = prepareData(p, partDir);
        DatasetManifest m = SplitReader.openVerified(data, hadoop).manifest();
        List<String> fixed = List.of("data.path=" + quote(data));
        Map<String, ArmSizer.Size> sizes = size(p, null, m, fixed);
        double budget = budget(p);
        int seeds = seeds(p);
        int total = seeds * p.arms().size();
        int k = 0;
        Path logs = Files.createDirectories(partDir.resolve("logs"));
        for (int seed = 1; seed <= seeds; seed++) {
            for (ExperimentSpec.Arm arm : p.arms()) {
                k++;
                String id = arm.name() + "-s" + seed;
                Path runDir = partDir.resolve(id).toAbsolutePath();
                ArmSizer.Size size = sizes.get(arm.name());
                List<String> extra = new ArrayList<>(fixed);
                extra.addAll(List.of("model.hidden=" + size.hidden(), "train.seed=" + seed, "train.max-seconds=" + budget,
                        "output.dir=" + quote(runDir.toString())));
                RunConfig cfg = config(p, arm, null, extra);
                String error = null;
                long t0 = System.nanoTime();
                try (PrintStream log = new PrintStream(Files.newOutputStream(logs.resolve(id + ".log")), true, StandardCharsets.UTF_8)) {
                    new TrainingRun(cfg, log).run(new TrainingRun.Start(false, true, false, null));
                } catch (TrainingDivergedException | TrainingFailedException e) {
                    error = e.getMessage();
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                // The finished run's minibatches and network live off-heap (ND4J) behind small Java objects; without
                // a collection here they pile up run after run (18 GB resident after 11 LRA Image runs) until
                // JavaCPP's physical-memory limit forces one mid-training.
                System.gc();
                Map<String, Object> row;
                String shown;
                if (error == null) {
                    JsonNode mj = new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile());
                    JsonNode v = mj.get("test_" + p.metric());
                    if (v == null) {
                        throw new IllegalArgumentException(p.where() + ".metric: " + runDir + "/metrics.json has no test_"
                                + p.metric() + " (metric " + mj.path("metric").asText() + "; is there a test split?)");
                    }
                    row = results.add(p.task(), arm.name(), seed, mj.get("parameter_count").asLong(), budget, p.metric(), v.asDouble());
                    row.put("hidden", size.hidden());
                    row.put("steps", mj.path("steps").asLong());
                    row.put("stopped_by", mj.path("stopped_by").asText(null));
                    row.put("test_records", cfg.train().evalRecordsOf(m.splits.get(DatasetFormat.TEST).records));
                    List<Double> rates = new ArrayList<>();
                    mj.path("final_update_rates").forEach(r -> rates.add(r.asDouble()));
                    row.put("update_rates", rates);
                    shown = String.format(Locale.ROOT, "%d steps (%s), test %s %.4f", mj.path("steps").asLong(),
                            mj.path("stopped_by").asText("?"), p.metric(), v.asDouble());
                } else {
                    row = results.add(p.task(), arm.name(), seed, size.params(), budget, p.metric(), Double.NaN);
                    row.put("hidden", size.hidden());
                    row.put("error", error);
                    shown = "failed: " + error;
                }
                row.put("train_s", round(wall));
                row.put("run", partDir.resolve(id).toString());
                if (o.smoke()) row.put("smoke", true);
                if (p.data().standIn() != null) row.put("data", "stand-in");
                out.printf(Locale.ROOT, "experiment %s: [%d/%d] %s seed %d: hidden %d, %d params, %s, %.1f s%n",
                        spec.name(), k, total, arm.name(), seed, size.hidden(), size.params(), shown, wall);
            }
        }
        if (p.data().standIn() != null) {
            notes.add(p.task() + ": trained on a synthetic stand-in dataset of the task's shape (random ids, label = "
                    + "first id mod classes), not on the task's corpus.");
        }
    }

    private static String quote(String s) {
        return com.typesafe.config.ConfigUtil.quoteString(s);
    }

    /** The dataset directory a TRAIN part uses, made if the part generates it (reused when made with the same arguments). */
    private String prepareData(ExperimentSpec.Part p, Path partDir) throws IOException {
        ExperimentSpec.Data d = p.data();
        if (d.path() != null) {
            return o.dataRoot().resolve(d.path()).toAbsolutePath().normalize().toString();
        }
        Path dir = partDir.resolve("data").toAbsolutePath();
        Path stamp = partDir.resolve("data.made-with");
        String key = d.prep() != null ? "prep " + String.join(" ", d.prep()) : d.standIn().toString();
        if (Files.isRegularFile(dir.resolve(DatasetFormat.MANIFEST_FILE)) && Files.isRegularFile(stamp)
                && Files.readString(stamp).equals(key)) {
            out.println("experiment " + spec.name() + " (" + p.task() + "): reusing the data in " + dir);
            return dir.toString();
        }
        Files.deleteIfExists(stamp);
        long t0 = System.nanoTime();
        if (d.prep() != null) {
            List<String> args = new ArrayList<>(d.prep());
            args.addAll(List.of("--output", dir.toString(), "--overwrite", "--master", "local[*]", "--quiet"));
            Path log = Files.createDirectories(partDir.resolve("logs")).resolve("data.log");
            int rc;
            try (PrintStream ps = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
                rc = PrepMain.run(null, ps, ps, args.toArray(String[]::new));
            }
            if (rc != 0) {
                throw new IllegalArgumentException(p.where() + ".data.prep: surnn prep " + String.join(" ", d.prep())
                        + " failed (exit " + rc + "); its output is in " + log);
            }
        } else {
            writeStandIn(dir, p.task(), d.standIn());
        }
        Files.writeString(stamp, key);
        out.printf(Locale.ROOT, "experiment %s (%s): data made in %s (%.1f s)%n", spec.name(), p.task(), dir, (System.nanoTime() - t0) / 1e9);
        return dir.toString();
    }

    /** A CLASSIFICATION dataset of the stand-in's shape, written by data-prep's own writer. */
    static void writeStandIn(Path dir, String task, ExperimentSpec.StandIn s) throws IOException {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("surnn experiment stand-in data")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            DatasetWriter w = new DatasetWriter(spark, new org.apache.hadoop.fs.Path(dir.toString()), true,
                    new PrintStream(OutputStream.nullOutputStream()));
            long seed = 1;
            for (String split : DatasetFormat.SPLITS) {
                int n = split.equals(DatasetFormat.TRAIN) ? s.train() : s.eval();
                Random rnd = new Random(seed++);
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int[] tok = new int[s.length()];
                    for (int t = 0; t < tok.length; t++) {
                        tok[t] = 1 + rnd.nextInt(s.vocab() - 1);
                    }
                    rows.add(RowFactory.create((long) i, tok, tok[0] % s.classes()));
                }
                w.writeSplit(split, DatasetFormat.Kind.CLASSIFICATION,
                        JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 2), rows.size(), 2);
            }
            DatasetManifest m = new DatasetManifest();
            m.task = task + "-stand-in";
            m.kind = DatasetFormat.Kind.CLASSIFICATION;
            m.vocabSize = s.vocab();
            m.numClasses = s.classes();
            m.padId = 0;
            m.seqLen = s.length();
            w.commit(m);
        } finally {
            spark.stop();
        }
    }

    // ---------------------------------------------------------------- RECALL

    private void recall(ExperimentSpec.Part p) throws IOException {
        int symbols = p.integer("symbols");
        int noise = p.integer("noise");
        int batch = p.integer("batch");
        int evalSize = p.integer("eval-size");
        int maxSteps = p.integer("max-steps");
        List<Integer> gaps = p.ints("gaps");
        DatasetManifest m = new DatasetManifest();
        m.task = p.task();
        m.kind = DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = new DelayedRecall(symbols, gaps.get(0), noise).vocabSize();
        m.numClasses = symbols;
        m.seqLen = gaps.get(0) + 2;
        Map<String, ArmSizer.Size> sizes = size(p, RECALL_BASE, m, List.of());
        double budget = budget(p);
        int seeds = seeds(p);
        int total = gaps.size() * seeds * p.arms().size();
        int k = 0;
        Map<String, double[][]> curves = new LinkedHashMap<>();   // arm → {gaps, mean accuracy over seeds}
        p.arms().forEach(a -> curves.put(a.name(), new double[2][gaps.size()]));
        for (int gi = 0; gi < gaps.size(); gi++) {
            int gap = gaps.get(gi);
            DelayedRecall task = new DelayedRecall(symbols, gap, noise);
            for (int seed = 1; seed <= seeds; seed++) {
                for (ExperimentSpec.Arm arm : p.arms()) {
                    k++;
                    ArmSizer.Size size = sizes.get(arm.name());
                    RunConfig cfg = config(p, arm, RECALL_BASE, List.of("model.hidden=" + size.hidden(), "train.seed=" + seed));
                    MultiLayerNetwork net = (MultiLayerNetwork) ModelFactory.build(cfg, m);
                    long t0 = System.nanoTime();
                    int steps = 0;
                    while (steps < maxSteps && (System.nanoTime() - t0) / 1e9 < budget) {
                        steps++;
                        net.fit(task.classification(batch, seed * 1_000_003L + steps));
                    }
                    double trainS = (System.nanoTime() - t0) / 1e9;
                    DataSet held = task.classification(evalSize, -seed - 1);   // negative: never a training seed
                    Evaluation eval = new Evaluation(symbols);
                    eval.eval(held.getLabels(), net.output(held.getFeatures()));
                    double[] rates = UpdateRates.values(net);
                    Map<String, Object> row = results.add(p.task(), arm.name(), seed, net.numParams(), budget, "accuracy", eval.accuracy());
                    row.put("gap", gap);
                    curves.get(arm.name())[0][gi] = gap;
                    curves.get(arm.name())[1][gi] += eval.accuracy() / seeds;
                    row.put("hidden", size.hidden());
                    row.put("steps", steps);
                    row.put("update_rates", Arrays.stream(rates).map(ExperimentRunner::round).boxed().toList());
                    row.put("train_s", round(trainS));
                    if (o.smoke()) row.put("smoke", true);
                    out.printf(Locale.ROOT, "experiment %s: [%d/%d] gap %d %s seed %d: hidden %d, %d params, %d steps, accuracy %.4f (chance %.3f), %.1f s%n",
                            spec.name(), k, total, gap, arm.name(), seed, size.hidden(), net.numParams(), steps, eval.accuracy(),
                            1.0 / symbols, trainS);
                }
            }
        }
        if (gaps.size() > 1) {
            String file = base() + (spec.parts().size() > 1 ? "-" + p.task() : "") + ".png";
            figures.put(file, Charts.logXUnitY(String.format(Locale.ROOT, "Delayed recall: held-out accuracy over the gap (mean of %d seeds, chance %.2f)",
                    seeds, 1.0 / symbols), "gap (steps)", "accuracy", curves));
            notes.add("Figure: `" + file + "` (accuracy over the gap, log-scaled gap axis; mean over seeds).");
        }
    }

    // ---------------------------------------------------------------- GRADIENT_PATH

    private void gradientPath(ExperimentSpec.Part p) throws IOException {
        List<Integer> lengths = p.ints("lengths");
        int inputs = p.integer("input-size");
        int batch = p.integer("batch");
        int seeds = seeds(p);
        Map<String, double[][]> curves = new LinkedHashMap<>();
        int total = lengths.size() * seeds * p.arms().size();
        int k = 0;
        for (ExperimentSpec.Arm arm : p.arms()) {
            RunConfig cfg = config(p, arm, GRADIENT_BASE, List.of());
            double[][] curve = new double[2][lengths.size()];
            for (int li = 0; li < lengths.size(); li++) {
                int length = lengths.get(li);
                double sum = 0;
                for (int seed = 1; seed <= seeds; seed++) {
                    k++;
                    MultiLayerNetwork net = gradientNet(cfg, inputs, seed);
                    Nd4j.getRandom().setSeed(seed * 7919L + length);
                    INDArray x = Nd4j.randn(DataType.FLOAT, batch, inputs, length);
                    INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 2);
                    for (int b = 0; b < batch; b++) {
                        y.putScalar(b, (b + seed) % 2, 1.0);
                    }
                    long t0 = System.nanoTime();
                    Pair<Gradient, INDArray> g = net.calculateGradients(x, y, null, null);
                    INDArray first = g.getSecond().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(0));
                    double norm = first.norm2(1).meanNumber().doubleValue();
                    sum += norm;
                    Map<String, Object> row = results.add(p.task(), arm.name(), seed, net.numParams(), 0, "grad_norm_h0", norm);
                    row.put("length", length);
                    row.put("hidden", cfg.model().hidden());
                    if (o.smoke()) row.put("smoke", true);
                    out.printf(Locale.ROOT, "experiment %s: [%d/%d] %s length %d seed %d: ||dL/dx_0|| = %.3e (%.1f s)%n",
                            spec.name(), k, total, arm.name(), length, seed, norm, (System.nanoTime() - t0) / 1e9);
                }
                curve[0][li] = length;
                curve[1][li] = sum / seeds;
            }
            curves.put(arm.name(), curve);
        }
        figures.put(base() + ".png", Charts.logLog("Gradient reaching the first step from a loss at the last (untrained, mean over "
                + seeds + " seeds)", "sequence length", "||dL/dx_0||", curves));
        notes.add("Figure: `" + base() + ".png` (log-log; a value of exactly 0, an underflow in float32, is not drawn).");
    }

    /** The arm's cell and gate at the config's width, reading {@code inputs} real values per step, read out at the last step. */
    static MultiLayerNetwork gradientNet(RunConfig cfg, int inputs, long seed) {
        ModelConfig mc = cfg.model();
        return new SequenceClassifierBuilder().cell(mc.cell()).gateMode(mc.gate().mode()).harmonics(mc.gate().harmonics())
                .surrogate(mc.gate().surrogate()).surrogateWidth(mc.gate().width())
                .initialUpdateRate(mc.gate().initialUpdateRate()).sparse(mc.sparse())
                .inputSize(inputs).hiddenSize(mc.hidden()).layers(mc.layers()).dropout(0.0)
                .numClasses(2).readout(Readout.LAST).seed(seed).buildNetwork();
    }

    // ---------------------------------------------------------------- INFERENCE

    private void inference(ExperimentSpec.Part p) throws IOException {
        String source = p.string("source");
        Path srcDir = o.work().resolve(source + (o.smoke() ? "-smoke" : ""));
        int batch = p.integer("batch");
        int repeats = p.integer("repeats");
        List<Path> runs = new ArrayList<>();
        for (ExperimentSpec.Arm arm : p.arms()) {
            if (!arm.overrides().isEmpty()) {
                throw new IllegalArgumentException(p.where() + ": arm " + arm.name() + ": set: an inference arm names a trained "
                        + "arm of " + source + " and takes no settings");
            }
            try (Stream<Path> s = Files.isDirectory(srcDir) ? Files.list(srcDir) : Stream.empty()) {
                s.filter(d -> d.getFileName().toString().matches(java.util.regex.Pattern.quote(arm.name()) + "-s\\d+")
                        && Files.isRegularFile(d.resolve("model").resolve(ModelDirectory.INFO_JSON))).sorted().forEach(runs::add);
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalArgumentException(p.where() + ".source: no trained runs of arms "
                    + p.arms().stream().map(ExperimentSpec.Arm::name).toList() + " under " + srcDir
                    + "; run `surnn experiment " + source + (o.smoke() ? " --smoke" : "") + "` first (same --work)");
        }
        SparkSession spark = SparkSession.builder().master("local[1]").appName("surnn experiment inference")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            int k = 0;
            for (Path run : runs) {
                k++;
                ModelDirectory md = ModelDirectory.open(run.resolve("model").toString(), hadoop);
                Model net = md.network();
                RunConfig cfg = ConfigLoader.parse(md.configText(), run + "/model/" + ModelDirectory.CONFIG, List.of());
                DatasetManifest m = md.manifest();
                if (m.kind != DatasetFormat.Kind.CLASSIFICATION) {
                    throw new IllegalArgumentException(p.where() + ": " + run + " is a " + m.kind + " model; the inference "
                            + "measurement reads CLASSIFICATION test minibatches");
                }
                SplitReader data = SplitReader.openVerified(cfg.data().path(), hadoop);
                List<Record> recs = data.read(spark, DatasetFormat.TEST).take(batch);
                DataSet ds = Minibatches.classification(recs, m.numClasses);
                double[] rates = UpdateRates.measure(net, ds.getFeatures(), ds.getFeaturesMaskArray());
                double sparseMs = forwardMillis(net, ds, repeats);
                List<SuRecurrentLayer> su = suLayers(net);
                su.forEach(l -> l.layerConf().setSparse(false));
                double denseMs;
                try {
                    denseMs = forwardMillis(net, ds, repeats);
                } finally {
                    su.forEach(l -> l.layerConf().setSparse(true));
                }
                String arm = run.getFileName().toString().replaceAll("-s\\d+$", "");
                long seed = Long.parseLong(run.getFileName().toString().replaceAll("^.*-s", ""));
                double budget = cfg.train().maxSeconds();
                Map<String, Object> row = results.add(cfg.task(), arm, seed, net.numParams(), budget, "inference_speedup",
                        denseMs / sparseMs);
                row.put("sparse_ms", round(sparseMs));
                row.put("dense_ms", round(denseMs));
                row.put("update_rates", Arrays.stream(rates).map(ExperimentRunner::round).boxed().toList());
                row.put("batch", recs.size());
                row.put("run", run.toString());
                if (o.smoke()) row.put("smoke", true);
                for (int layer = 0; layer < rates.length; layer++) {
                    Map<String, Object> r = results.add(cfg.task(), arm, seed, net.numParams(), budget, "update_rate", rates[layer]);
                    r.put("layer", layer);
                    if (o.smoke()) r.put("smoke", true);
                }
                out.printf(Locale.ROOT, "experiment %s: [%d/%d] %s: update rates %s, forward %.1f ms sparse vs %.1f ms dense (x%.2f)%n",
                        spec.name(), k, runs.size(), run.getFileName(), Arrays.toString(Arrays.stream(rates).map(ExperimentRunner::round).toArray()),
                        sparseMs, denseMs, denseMs / sparseMs);
            }
        } finally {
            spark.stop();
        }
        notes.add("Inference: median of " + repeats + " forward passes (after one warm-up) on a test minibatch of up to "
                + batch + " sequences, the same parameters with the sparse kernel and with the dense reference kernel "
                + "(model.sparse = false); speed-up = dense time / sparse time.");
    }

    private static List<SuRecurrentLayer> suLayers(Model net) {
        List<SuRecurrentLayer> out = new ArrayList<>();
        for (Layer l : Networks.layers(net)) {
            if (UpdateRates.suLayer(l) instanceof SuRecurrentLayer su) {
                out.add(su);
            }
        }
        return out;
    }

    private static double forwardMillis(Model net, DataSet ds, int repeats) {
        Networks.output(net, ds.getFeatures(), ds.getFeaturesMaskArray(), null);   // warm-up
        double[] ms = new double[Math.max(1, repeats)];
        for (int i = 0; i < ms.length; i++) {
            Networks.clearState(net);
            long t0 = System.nanoTime();
            Networks.output(net, ds.getFeatures(), ds.getFeaturesMaskArray(), null);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms[ms.length / 2];
    }

    private static double round(double x) {
        return Math.round(x * 1e4) / 1e4;
    }
}
