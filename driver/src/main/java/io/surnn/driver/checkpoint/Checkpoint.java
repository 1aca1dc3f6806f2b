package io.surnn.driver.checkpoint;

import io.surnn.driver.config.ConfigEnum;
import io.surnn.driver.config.RunConfig;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;

/**
 * One committed, checksum-verified checkpoint directory (obtained from {@link CheckpointStore}).
 * The model is read only when asked for, with its updater state, so training continues where the
 * optimizer left off.
 */
public final class Checkpoint {
    private final FileSystem fs;
    private final Path dir;
    private final CheckpointState state;
    private final String config;

    Checkpoint(FileSystem fs, Path dir, CheckpointState state, String config) {
        this.fs = fs;
        this.dir = dir;
        this.state = state;
        this.config = config;
    }

    /** The checkpoint's directory. */
    public Path path() {
        return dir;
    }

    public CheckpointState state() {
        return state;
    }

    /** The resolved config (HOCON) of the run that wrote it; {@code ConfigLoader.parse} reads it. */
    public String configText() {
        return config;
    }

    /** The network with its updater state. Fails if the checkpoint holds a ComputationGraph. */
    public MultiLayerNetwork restoreMultiLayerNetwork() throws IOException {
        requireType(MultiLayerNetwork.class);
        try (InputStream in = fs.open(new Path(dir, CheckpointStore.MODEL_FILE))) {
            return ModelSerializer.restoreMultiLayerNetwork(in, true);
        }
    }

    /** The graph with its updater state. Fails if the checkpoint holds a MultiLayerNetwork. */
    public ComputationGraph restoreComputationGraph() throws IOException {
        requireType(ComputationGraph.class);
        try (InputStream in = fs.open(new Path(dir, CheckpointStore.MODEL_FILE))) {
            return ModelSerializer.restoreComputationGraph(in, true);
        }
    }

    /** Whichever of the two the checkpoint holds. */
    public Model restore() throws IOException {
        return ComputationGraph.class.getSimpleName().equals(state.modelType())
                ? restoreComputationGraph() : restoreMultiLayerNetwork();
    }

    private void requireType(Class<?> type) {
        if (!type.getSimpleName().equals(state.modelType())) {
            throw new IllegalStateException(dir + " holds a " + state.modelType() + ", not a " + type.getSimpleName());
        }
    }

    /**
     * Refuses to continue run {@code current} on dataset {@code manifestSha256} from this checkpoint
     * when the dataset, the model's shapes or the optimizer kind differ.
     *
     * @throws IncompatibleCheckpointException naming what differs and the way out
     */
    public void requireCompatible(RunConfig current, String manifestSha256) {
        String way = "; use another output.dir, or train with --overwrite instead of --resume to start over";
        if (!manifestSha256.equals(state.manifestSha256())) {
            throw new IncompatibleCheckpointException("checkpoint " + dir + " was written for another dataset "
                    + "(manifest.json sha256 " + abbrev(state.manifestSha256()) + ", " + current.data().path()
                    + " has " + abbrev(manifestSha256) + ")" + way);
        }
        if (!current.model().shapeKey().equals(state.modelShape())) {
            throw new IncompatibleCheckpointException("checkpoint " + dir + " holds a model of another shape ("
                    + state.modelShape() + " vs the config's " + current.model().shapeKey() + ")" + way);
        }
        String optimizer = ConfigEnum.configName(current.train().optimizer().name());
        if (!optimizer.equals(state.optimizer())) {
            throw new IncompatibleCheckpointException("checkpoint " + dir + " holds " + state.optimizer()
                    + " optimizer state, the config asks for " + optimizer + way);
        }
        if (!current.fingerprint(manifestSha256).equals(state.configFingerprint())) {
            throw new IncompatibleCheckpointException("checkpoint " + dir + " has config fingerprint "
                    + abbrev(state.configFingerprint()) + ", this run " + abbrev(current.fingerprint(manifestSha256))
                    + " (written by another version of the driver?)" + way);
        }
    }

    private static String abbrev(String hex) {
        return hex == null ? "none" : hex.substring(0, Math.min(12, hex.length()));
    }

    @Override
    public String toString() {
        return dir + " (epoch " + state.epoch() + ", step " + state.step() + ", round " + state.round() + ")";
    }
}
