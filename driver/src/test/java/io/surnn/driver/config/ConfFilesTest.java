package io.surnn.driver.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every HOCON file the project ships under conf/ loads and validates. */
class ConfFilesTest {
    private static final List<String> TASKS = List.of("wikitext2", "wikitext103", "listops", "text",
            "retrieval", "image", "pathfinder", "smnist", "psmnist", "selective-copy");

    private static Path confDir() {
        String root = System.getProperty("surnn.repo.root");
        assumeTrue(root != null, "system property surnn.repo.root (set by surefire) is missing");
        Path conf = Path.of(root, "conf");
        assumeTrue(Files.isDirectory(conf), "conf/ is missing under " + root);
        return conf;
    }

    @Test
    void everyConfFileLoads() throws IOException {
        Path conf = confDir();
        List<Path> files;
        try (Stream<Path> s = Files.walk(conf)) {
            // conf/experiments holds experiment files (ExperimentFilesTest), not run configs
            files = s.filter(p -> p.toString().endsWith(".conf") && !p.startsWith(conf.resolve("experiments"))).sorted().toList();
        }
        assertTrue(files.size() >= 2 * TASKS.size() + 4, "expected task, tiny and profile files, got " + files);
        for (Path f : files) {
            RunConfig c = ConfigLoader.load(f, List.of("data.path=/data/x"));
            assertFalse(c.spark().conf().isEmpty(), f + " sets no spark.conf (every file includes a profile)");
        }
    }

    @Test
    void everyTaskHasAFullAndATinyConfigOfTheSameFamily() {
        Path conf = confDir();
        for (String task : TASKS) {
            RunConfig full = ConfigLoader.load(conf.resolve(task + ".conf"), List.of());
            RunConfig tiny = ConfigLoader.load(conf.resolve(task + "-tiny.conf"), List.of());
            assertEquals(full.model().family(), tiny.model().family(), task);
            assertEquals(full.model().cell(), tiny.model().cell(), task);
            assertEquals(task + "-tiny", tiny.task());
            assertTrue(tiny.model().hidden() <= 16 && tiny.train().hasStepLimit(), task + "-tiny is not tiny");
            assertEquals("runs/" + task + "-tiny", tiny.output().dir());
        }
    }

    @Test
    void taskConfigRunsLocallyOnLoopbackAndAClusterProfileDropsIt() throws IOException {
        Path conf = confDir();
        RunConfig local = ConfigLoader.load(conf.resolve("listops.conf"), List.of());
        assertEquals("127.0.0.1", local.spark().conf().get("spark.driver.host"));
        assertEquals("org.nd4j.kryo.Nd4jRegistrator", local.spark().conf().get("spark.kryo.registrator"));

        Path mine = Files.createTempFile("cluster", ".conf");
        try {
            Files.writeString(mine, "include file(\"" + conf.resolve("listops.conf") + "\")\n"
                    + "include file(\"" + conf.resolve("cluster/standalone.conf") + "\")\n");
            RunConfig cluster = ConfigLoader.load(mine, List.of());
            assertFalse(cluster.spark().conf().containsKey("spark.driver.host"));
            assertEquals("1", cluster.spark().conf().get("spark.executorEnv.OMP_NUM_THREADS"));
            assertTrue(cluster.spark().conf().get("spark.executor.extraJavaOptions")
                    .contains("-Dorg.bytedeco.javacpp.cachedir="));
            assertEquals("listops", cluster.task());
        } finally {
            Files.deleteIfExists(mine);
        }
    }
}
