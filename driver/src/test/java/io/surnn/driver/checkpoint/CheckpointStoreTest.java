package io.surnn.driver.checkpoint;

import io.surnn.driver.config.ConfigLoader;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.report.RunLock;
import io.surnn.driver.report.RunLockLostException;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointStoreTest {
    private static final String MANIFEST = "a".repeat(64);
    private static MultiLayerNetwork net;
    private static RunConfig config;

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void trainedNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01))
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Nd4j.getRandom().setSeed(3);
        // A few steps so that Adam's moment estimates are non-zero.
        DataSet ds = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 3), Nd4j.eye(2).repeat(0, 4).castTo(DataType.FLOAT));
        for (int i = 0; i < 3; i++) net.fit(ds);
        config = ConfigLoader.parse("surnn { task = t, data.path = /d }", "test", List.of());
    }

    private CheckpointStore store(int keep) throws IOException {
        return new CheckpointStore(tmp.resolve("ckpt").toString(), new Configuration(), keep, warnings::add);
    }

    private static CheckpointState state(long step) {
        return CheckpointState.of(config, MANIFEST, 1, 2, step, step / 5, Map.of("train", 42L, "shuffle", 43L),
                Map.of("best_val_accuracy", "0.5"));
    }

    @Test
    void roundTripRestoresParametersUpdaterStateCountersAndConfig() throws IOException {
        CheckpointStore s = store(3);
        s.save(net, state(10), config.render());
        Checkpoint c = s.latestValid().orElseThrow();
        MultiLayerNetwork back = c.restoreMultiLayerNetwork();
        assertEquals(net.params(), back.params());
        assertEquals(net.getUpdater().getStateViewArray(), back.getUpdater().getStateViewArray());
        assertTrue(back.getUpdater().getStateViewArray().sumNumber().doubleValue() != 0, "updater state was saved");
        assertEquals(10, c.state().step());
        assertEquals(2, c.state().round());
        assertEquals(1, c.state().epoch());
        assertEquals(2, c.state().roundInEpoch());
        assertEquals(Map.of("train", 42L, "shuffle", 43L), c.state().seeds());
        assertEquals("0.5", c.state().extra().get("best_val_accuracy"));
        assertEquals("MultiLayerNetwork", c.state().modelType());
        assertEquals(config.fingerprint(MANIFEST), c.state().configFingerprint());
        assertEquals(config.model(), ConfigLoader.parse(c.configText(), "ckpt", List.of()).model());
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void computationGraphRoundTripsToo() throws IOException {
        ComputationGraph graph = net.toComputationGraph();
        Checkpoint c = store(3).save(graph, state(30), config.render());
        assertEquals("ComputationGraph", c.state().modelType());
        Checkpoint back = store(3).latestValid().orElseThrow();
        assertTrue(back.restore() instanceof ComputationGraph);
        assertEquals(graph.params(), back.restoreComputationGraph().params());
        assertThrows(IllegalStateException.class, back::restoreMultiLayerNetwork);
    }

    @Test
    void corruptNewestFallsBackToPreviousWithAWarning() throws IOException {
        CheckpointStore s = store(3);
        s.save(net, state(10), config.render());
        Checkpoint newest = s.save(net, state(20), config.render());
        Path model = Path.of(newest.path().toString()).resolve(CheckpointStore.MODEL_FILE);
        byte[] bytes = Files.readAllBytes(model);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(model, bytes);
        // Drop Hadoop's own .crc so that our SHA-256 check is what catches it.
        Files.deleteIfExists(model.resolveSibling("." + CheckpointStore.MODEL_FILE + ".crc"));

        Checkpoint c = s.latestValid().orElseThrow();
        assertEquals(10, c.state().step());
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("step-000000000020") && warnings.get(0).contains("model.zip is corrupt"),
                warnings.get(0));
    }

    @Test
    void partialAndTemporaryCheckpointsAreIgnored() throws IOException {
        CheckpointStore s = store(3);
        s.save(net, state(10), config.render());
        Path root = tmp.resolve("ckpt");
        // A crash mid-save leaves a temp directory; a copy cut short leaves a directory without sums.
        Path temp = Files.createDirectories(root.resolve("_tmp-step-000000000030-deadbeef"));
        Files.write(temp.resolve(CheckpointStore.MODEL_FILE), new byte[]{1, 2, 3});
        Path partial = Files.createDirectories(root.resolve("step-000000000040"));
        Files.write(partial.resolve(CheckpointStore.MODEL_FILE), new byte[]{1, 2, 3});

        assertEquals(10, s.latestValid().orElseThrow().state().step());
        assertEquals(1, warnings.size(), "only the committed-looking partial one warns: " + warnings);
        assertTrue(warnings.get(0).contains("no SHA256SUMS"), warnings.get(0));

        s.save(net, state(50), config.render());
        assertTrue(Files.notExists(temp), "the next save removes leftover temp directories");
    }

    @Test
    void aNetworkThatIsNotFiniteIsNeverCheckpointed() throws IOException {
        MultiLayerNetwork bad = net.clone();
        bad.getUpdater().getStateViewArray().putScalar(0, Double.NaN);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store(3).save(bad, state(10), config.render()));
        assertTrue(e.getMessage().contains("step 10") && e.getMessage().contains("updater state"), e.getMessage());
        MultiLayerNetwork huge = net.clone();
        huge.params().muli(1e30);                           // finite, but its L2 term overflows: not finite either
        MultiLayerNetwork l2 = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(7).updater(new Adam(0.01)).l2(0.1)
                .dataType(DataType.FLOAT).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(4).nOut(2).activation(Activation.SOFTMAX).build())
                .build());
        l2.init(huge.params(), false);
        IllegalStateException big = assertThrows(IllegalStateException.class, () -> store(3).save(l2, state(20), config.render()));
        assertTrue(big.getMessage().contains("regularisation term"), big.getMessage());
        assertTrue(store(3).committed().isEmpty());
    }

    @Test
    void aRunsStoreWritesOnlyWhileItHoldsTheRunLock() throws IOException {
        RunConfig run = ConfigLoader.parse("surnn { task = t, data.path = /d }", "t", List.of("output.dir=" + tmp.resolve("run")));
        assertThrows(IllegalStateException.class, () -> CheckpointStore.forRun(run, new Configuration(), null, warnings::add));
        Path other;
        try (RunLock lock = RunLock.acquire(run.output().dir(), new Configuration(), "train", false, w -> {})) {
            CheckpointStore s = CheckpointStore.forRun(run, new Configuration(), lock, warnings::add);
            s.save(net, state(10), config.render());
            // Another run took the directory (--force-unlock) and is saving: its temp directory must survive us.
            Files.delete(tmp.resolve("run").resolve(RunLock.FILE));
            Files.writeString(tmp.resolve("run").resolve(RunLock.FILE), "{\"run_id\":\"other\",\"host\":\"h\",\"pid\":1}");
            other = Files.createDirectories(tmp.resolve("run/checkpoints/_tmp-step-000000000012-other"));
            RunLockLostException e = assertThrows(RunLockLostException.class, () -> s.save(net, state(20), config.render()));
            assertTrue(e.getMessage().contains("other"), e.getMessage());
        }
        assertTrue(Files.isDirectory(other), "the other run's temp directory was left alone");
        assertEquals(List.of("step-000000000010"), new CheckpointStore(tmp.resolve("run/checkpoints").toString(),
                new Configuration(), 3).committed().stream().map(p -> p.getName()).toList());
    }

    @Test
    void keepsOnlyTheNewestK() throws IOException {
        CheckpointStore s = store(2);
        for (long step : new long[]{5, 10, 15, 20}) {
            s.save(net, state(step), config.render());
        }
        List<String> names = s.committed().stream().map(p -> p.getName()).toList();
        assertEquals(List.of("step-000000000020", "step-000000000015"), names);
    }

    @Test
    void emptyDirectoryHasNoCheckpoint() throws IOException {
        assertTrue(store(1).latestValid().isEmpty());
    }

    @Test
    void incompatibleDatasetOrConfigIsRefused() throws IOException {
        Checkpoint c = store(3).save(net, state(10), config.render());
        c.requireCompatible(config, MANIFEST);
        c.requireCompatible(ConfigLoader.parse("surnn { task = t, data.path = /moved }", "t",
                List.of("train.optimizer.lr=0.5")), MANIFEST);

        IncompatibleCheckpointException data = assertThrows(IncompatibleCheckpointException.class,
                () -> c.requireCompatible(config, "b".repeat(64)));
        assertTrue(data.getMessage().contains("another dataset"), data.getMessage());

        RunConfig wider = ConfigLoader.parse("surnn { task = t, data.path = /d, model.hidden = 256 }", "t", List.of());
        IncompatibleCheckpointException shape = assertThrows(IncompatibleCheckpointException.class,
                () -> c.requireCompatible(wider, MANIFEST));
        assertTrue(shape.getMessage().contains("hidden=128") && shape.getMessage().contains("hidden=256"),
                shape.getMessage());

        RunConfig adamw = ConfigLoader.parse("surnn { task = t, data.path = /d }", "t",
                List.of("train.optimizer.name=adamw"));
        IncompatibleCheckpointException opt = assertThrows(IncompatibleCheckpointException.class,
                () -> c.requireCompatible(adamw, MANIFEST));
        assertTrue(opt.getMessage().contains("adam optimizer state, the config asks for adamw"), opt.getMessage());
    }

    @Test
    void manifestChecksumIsTheSha256OfManifestJson() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("manifest.json"), "abc");
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                ManifestChecksum.of(data.toString(), new Configuration()));
        IOException e = assertThrows(IOException.class, () -> ManifestChecksum.of(tmp.toString(), new Configuration()));
        assertTrue(e.getMessage().contains("no manifest.json"), e.getMessage());
    }
}
