package io.surnn.driver.experiment;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every shipped experiment file reads, with and without its smoke block, and its arms' settings are valid keys. */
class ExperimentFilesTest {
    private static final List<String> ARMS = List.of("sugru", "sugru-fixed", "sugru-soft", "sugru-dense", "lstm");

    static Path experimentsDir() {
        String root = System.getProperty("surnn.repo.root");
        assumeTrue(root != null, "system property surnn.repo.root (set by surefire) is missing");
        Path dir = Path.of(root, "conf", "experiments");
        assumeTrue(Files.isDirectory(dir), "conf/experiments is missing under " + root);
        return dir;
    }

    @Test
    void everyExperimentFileReadsAndItsArmsAreValid() throws IOException {
        Path dir = experimentsDir();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
        }
        Set<String> names = Set.copyOf(files.stream().map(p -> p.getFileName().toString().replace(".conf", "")).toList());
        assertTrue(names.containsAll(List.of("selective-copy", "listops", "smnist", "psmnist", "image", "text",
                "recall-gap", "gate-init", "gradient-path", "inference")), names.toString());
        for (Path f : files) {
            for (boolean smoke : new boolean[] {false, true}) {
                ExperimentSpec spec = ExperimentSpec.load("x", f, smoke);
                ExperimentRunner.check(spec);
                for (ExperimentSpec.Part p : spec.parts()) {
                    if (smoke && p.kind() != ExperimentSpec.Kind.INFERENCE) {
                        assertEquals(1, p.seeds(), f + ": a smoke block runs one seed");
                        assertTrue(p.budgetS() <= 3, f + ": a smoke block trains for seconds, not " + p.budgetS());
                    }
                }
            }
        }
        for (String task : List.of("listops", "smnist", "psmnist", "image", "text", "recall-gap")) {
            ExperimentSpec.Part p = ExperimentSpec.load(task, dir.resolve(task + ".conf"), false).parts().get(0);
            assertEquals(ARMS, p.arms().stream().map(ExperimentSpec.Arm::name).toList(), task + ": the five arms");
            assertEquals(3, p.seeds(), task);
        }
        ExperimentSpec copy = ExperimentSpec.load("selective-copy", dir.resolve("selective-copy.conf"), false);
        assertEquals(List.of("selective-copy-1024", "selective-copy-4096"), copy.parts().stream().map(ExperimentSpec.Part::task).toList());
    }

    @Test
    void badFilesAreRefusedWithOneLineNamingTheFileAndKey(@TempDir Path tmp) throws IOException {
        Path f = tmp.resolve("bad.conf");
        String ok = "kind = recall, task = r, budget-s = 1, arms = [ { name = a } ]";
        String[][] cases = {
                {"experiment { " + ok + ", gapz = [3] }", "bad.conf: experiment.gapz: unknown key for kind = recall"},
                {"experiment { kind = recall, task = r, budget-s = 1, arms = [ { name = a, sett { } } ] }",
                        "bad.conf: experiment.arms[0].sett: unknown arm key"},
                {"experiment { kind = learn, task = r, arms = [ { name = a } ] }", "bad.conf: experiment.kind: must be one of"},
                {"experiment { kind = recall, task = r, arms = [ { name = a } ] }", "bad.conf: experiment.budget-s: must be > 0"},
                {"experiment { kind = recall, task = r, budget-s = 1, arms = [ { name = a }, { name = a } ] }", "is used by two arms"},
                {"experiment { " + ok + " }", "bad.conf: experiment.smoke: missing: --smoke needs a smoke block"},
                {"experiment { task = t, budget-s = 1, arms = [ { name = a } ] }", "bad.conf: experiment.config: missing"},
                {"surnn { }", "bad.conf: surnn: unknown key"},
        };
        for (String[] c : cases) {
            Files.writeString(f, c[0]);
            boolean smoke = c[1].contains("smoke");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentSpec.load("bad", f, smoke), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        Files.writeString(f, "experiment { " + ok.replace("{ name = a }", "{ name = a, set { model.gate.mod = fixed } }") + " }");
        ExperimentSpec spec = ExperimentSpec.load("bad", f, false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExperimentRunner.check(spec));
        assertTrue(e.getMessage().startsWith(f + ": experiment: arm a: "), e.getMessage());
        assertTrue(e.getMessage().contains("model.gate.mod"), e.getMessage());
    }

    @Test
    void armsAreSizedToTheTargetOrRefused() {
        String base = ExperimentRunner.RECALL_BASE;
        io.surnn.prep.format.DatasetManifest m = new io.surnn.prep.format.DatasetManifest();
        m.kind = io.surnn.prep.format.DatasetFormat.Kind.CLASSIFICATION;
        m.vocabSize = 6;
        m.numClasses = 4;
        java.util.function.IntFunction<io.surnn.driver.config.RunConfig> lstm = h -> io.surnn.driver.config.ConfigLoader
                .parse(base, "t", List.of("model.cell=lstm", "model.hidden=" + h));
        ArmSizer.Size s = ArmSizer.size(lstm, m, 20_000, "arm lstm");
        assertTrue(Math.abs(s.deviation(20_000)) <= 0.05, s.toString());
        assertEquals(s.params(), io.surnn.driver.train.ModelFactory.build(lstm.apply(s.hidden()), m).numParams(),
                "the count sized by is the built network's");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArmSizer.size(lstm, m, 40, "arm lstm"));
        assertTrue(e.getMessage().startsWith("arm lstm: no model.hidden gives a parameter count within ±5% of the target 40"),
                e.getMessage());
    }

    @Test
    void tableShowsMeanAndSampleSpreadPerArm() {
        Results r = new Results();
        r.add("t", "a", 1, 100, 10, "accuracy", 0.5).put("gap", 100);
        r.add("t", "a", 2, 100, 10, "accuracy", 0.7).put("gap", 100);
        r.add("t", "b", 1, 104, 10, "accuracy", 0.25).put("gap", 100);
        String md = r.markdown("h", List.of());
        assertTrue(md.contains("| t | a | 100 | 100 | 10 | accuracy | 0.6000 ± 0.1414 | 2 |"), md);
        assertTrue(md.contains("| t | b | 100 | 104 | 10 | accuracy | 0.2500 ± – | 1 |"), md);
    }
}
