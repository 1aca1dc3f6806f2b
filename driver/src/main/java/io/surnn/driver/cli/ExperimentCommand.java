package io.surnn.driver.cli;

import io.surnn.driver.experiment.ExperimentRunner;
import io.surnn.driver.experiment.ExperimentSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code experiment NAME [--budget-s S] [--seeds N] [--smoke] [--out DIR] [--data-root DIR] [--work DIR]}:
 * runs the experiment of {@code conf/experiments/NAME.conf} (or a path to such a file) and writes
 * {@code DIR/NAME.json} and {@code DIR/NAME.md} (docs/results.md describes the files and each experiment).
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = {"Run an experiment: every arm x seed of conf/experiments/NAME.conf (equal parameter count,",
                "equal wall-clock budget), then write the rows as DIR/NAME.json and a table as DIR/NAME.md.",
                "--smoke runs the file's smoke block (seconds) and writes DIR/NAME-smoke.*."})
public final class ExperimentCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "An experiment of conf/experiments (e.g. listops, recall-gap), or a .conf file.")
    String name;

    @Option(names = "--budget-s", paramLabel = "S", description = "Training budget per run in seconds (overrides the file's budget-s).")
    Double budgetS;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds per arm (overrides the file's seeds).")
    Integer seeds;

    @Option(names = "--smoke", description = "Run the file's smoke block: tiny sizes and budget, to check the machinery.")
    boolean smoke;

    @Option(names = "--out", defaultValue = "docs/results", paramLabel = "DIR", description = "Where the result files go. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--data-root", defaultValue = "data", paramLabel = "DIR",
            description = "Where an experiment's data.path (prepared corpora) is found. Default: ${DEFAULT-VALUE}.")
    Path dataRoot;

    @Option(names = "--work", defaultValue = "runs/experiments", paramLabel = "DIR",
            description = "Where the runs, generated data and logs go (DIR/NAME[-smoke]/ARM-sSEED). Default: ${DEFAULT-VALUE}.")
    Path work;

    @Option(names = "--experiments", defaultValue = "conf/experiments", paramLabel = "DIR", hidden = true,
            description = "Where NAME is looked up (relative: in the working directory, else in the project). Default: ${DEFAULT-VALUE}.")
    Path experiments;

    @Override
    public Integer call() throws Exception {
        if (budgetS != null && !(budgetS > 0)) {
            throw new IllegalArgumentException("--budget-s must be > 0, got " + budgetS);
        }
        if (seeds != null && seeds < 1) {
            throw new IllegalArgumentException("--seeds must be >= 1, got " + seeds);
        }
        Path file = resolve();
        String base = file.getFileName().toString().replaceFirst("\\.conf$", "");
        ExperimentSpec spec = ExperimentSpec.load(base, file, smoke);
        List<String> cmd = new ArrayList<>(List.of("surnn", "experiment", name));
        if (budgetS != null) cmd.addAll(List.of("--budget-s", java.math.BigDecimal.valueOf(budgetS).stripTrailingZeros().toPlainString()));
        if (seeds != null) cmd.addAll(List.of("--seeds", seeds.toString()));
        if (smoke) cmd.add("--smoke");
        new ExperimentRunner(spec, new ExperimentRunner.Options(work, out, dataRoot, budgetS, seeds, smoke, String.join(" ", cmd)),
                System.out).run();
        return 0;
    }

    private Path resolve() {
        Path asPath = Path.of(name);
        if (name.endsWith(".conf") || name.contains("/")) {
            if (!Files.isRegularFile(asPath)) {
                throw new IllegalArgumentException(name + ": no such experiment file");
            }
            return asPath;
        }
        Path f = experiments.resolve(name + ".conf");
        String repo = System.getProperty("surnn.repo.root");   // set by the launcher: found from any directory
        if (!Files.isRegularFile(f) && !experiments.isAbsolute() && repo != null
                && Files.isRegularFile(Path.of(repo).resolve(experiments).resolve(name + ".conf"))) {
            f = Path.of(repo).resolve(experiments).resolve(name + ".conf");
        }
        if (!Files.isRegularFile(f)) {
            String known = "";
            try (var s = Files.isDirectory(experiments) ? Files.list(experiments) : java.util.stream.Stream.<Path>empty()) {
                known = String.join(", ", s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf"))
                        .map(n -> n.substring(0, n.length() - 5)).sorted().toList());
            } catch (java.io.IOException e) {
                known = "?";
            }
            throw new IllegalArgumentException(f + ": no such experiment (" + (known.isEmpty() ? "none in " + experiments : "known: " + known) + ")");
        }
        return f;
    }
}
