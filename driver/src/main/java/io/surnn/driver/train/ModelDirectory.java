package io.surnn.driver.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.surnn.driver.report.RunDirectory;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.ops.models.Networks;
import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A trained model as a directory (any Hadoop FS), what {@code train} leaves in output.dir/model and
 * what {@code evaluate}, {@code generate} and {@code export} read:
 * <pre>
 * model.zip       DL4J ModelSerializer (configuration + parameters; no updater state)
 * model.json      {@link Info}: network type, dataset kind, task, LM windows per row, label layout, steps trained
 * config.conf     the run's resolved configuration (HOCON)
 * manifest.json   a copy of the training dataset's manifest
 * vocab.txt       the dataset's vocabulary, line = id (only when the dataset has one)
 * </pre>
 */
public final class ModelDirectory {
    public static final String MODEL_ZIP = "model.zip";
    public static final String INFO_JSON = "model.json";
    public static final String CONFIG = "config.conf";
    public static final String MANIFEST = "manifest.json";
    public static final String VOCAB = "vocab.txt";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** model.json. */
    public static final class Info {
        @JsonProperty("format") public int format = 1;
        @JsonProperty("task") public String task;
        @JsonProperty("kind") public String kind;
        /** MultiLayerNetwork or ComputationGraph (directories written before this field: MultiLayerNetwork). */
        @JsonProperty("network") public String network = Networks.MULTI_LAYER;
        @JsonProperty("windows_per_row") public int windowsPerRow = 1;
        @JsonProperty("sparse_labels") public boolean sparseLabels;
        @JsonProperty("steps") public long steps;
        @JsonProperty("parameters") public long parameters;
    }

    private final RunDirectory dir;
    private final Info info;

    private ModelDirectory(RunDirectory dir, Info info) {
        this.dir = dir;
        this.info = info;
    }

    public static void write(String location, Configuration hadoopConf, Model net, Info info,
                             String configText, DatasetManifest manifest, List<String> vocab) throws IOException {
        RunDirectory d = new RunDirectory(location, hadoopConf);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, false);
        d.write(MODEL_ZIP, zip.toByteArray());
        info.parameters = net.numParams();
        info.network = Networks.typeName(net);
        d.write(INFO_JSON, JSON.writeValueAsBytes(info));
        d.write(CONFIG, configText.getBytes(StandardCharsets.UTF_8));
        d.write(MANIFEST, manifest.toJson().getBytes(StandardCharsets.UTF_8));
        if (vocab != null && !vocab.isEmpty()) {
            d.write(VOCAB, (String.join("\n", vocab) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Opens a model directory; a missing model.zip or model.json is a one-line error naming it. */
    public static ModelDirectory open(String location, Configuration hadoopConf) {
        try {
            RunDirectory d = new RunDirectory(location, hadoopConf);
            byte[] info = d.readIfExists(INFO_JSON);
            if (info == null || d.readIfExists(MODEL_ZIP) == null) {
                throw new IllegalArgumentException("--model " + location + ": not a model directory (needs "
                        + MODEL_ZIP + " and " + INFO_JSON + ", as `surnn train` writes to <output.dir>/model)");
            }
            return new ModelDirectory(d, JSON.readValue(info, Info.class));
        } catch (IOException e) {
            throw new IllegalArgumentException("--model " + location + ": " + e.getMessage(), e);
        }
    }

    public Info info() {
        return info;
    }

    /** The trained network, of the type model.json names (a MultiLayerNetwork or a ComputationGraph). */
    public Model network() throws IOException {
        try {
            return Networks.restore(info.network, new ByteArrayInputStream(dir.readIfExists(MODEL_ZIP)), false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.display(INFO_JSON) + ": network: " + e.getMessage(), e);
        }
    }

    public String configText() throws IOException {
        byte[] b = dir.readIfExists(CONFIG);
        return b == null ? "" : new String(b, StandardCharsets.UTF_8);
    }

    public DatasetManifest manifest() throws IOException {
        byte[] b = dir.readIfExists(MANIFEST);
        if (b == null) {
            throw new IllegalArgumentException(dir.display(MANIFEST) + " is missing");
        }
        return DatasetManifest.read(new ByteArrayInputStream(b), dir.display(MANIFEST));
    }

    /** The vocabulary, or an empty list when the model was trained without one. */
    public List<String> vocab() throws IOException {
        byte[] b = dir.readIfExists(VOCAB);
        if (b == null) {
            return List.of();
        }
        String text = new String(b, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1);
        }
        return Arrays.asList(text.split("\n", -1));
    }

    public String display() {
        return dir.dir().toString();
    }
}
