package io.surnn.driver.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.surnn.driver.checkpoint.Sha256;
import io.surnn.driver.checkpoint.Sha256Sums;
import io.surnn.driver.report.RunDirectory;
import io.surnn.prep.format.DatasetManifest;
import io.surnn.ops.models.Networks;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A trained model as a directory (any Hadoop FS), what {@code train} leaves in output.dir/model and
 * what {@code evaluate}, {@code generate} and {@code export} read:
 * <pre>
 * model.zip       DL4J ModelSerializer (configuration + parameters; no updater state)
 * model.json      {@link Info}: network type, dataset kind, task, LM windows per row, label layout, steps trained
 * config.conf     the run's resolved configuration (HOCON, secrets redacted)
 * manifest.json   a copy of the training dataset's manifest
 * vocab.txt       the dataset's vocabulary, line = id (only when the dataset has one)
 * SHA256SUMS      the SHA-256 of each file above, written last
 * </pre>
 *
 * <p>Design: {@link #write} fills a temporary sibling directory ({@code .model.tmp-<uuid>}) and
 * renames it into place, moving an existing directory aside first and deleting it only after the
 * rename succeeded; on HDFS and local disks a reader sees the old directory or the new one, never a
 * mix. On object stores (s3a, gs, abfs) a directory rename is a copy: while it runs the directory can
 * be incomplete, and SHA256SUMS is what catches it. {@link #open} verifies every file listed in
 * SHA256SUMS and vocab.txt's length against the manifest's vocab_size, so a damaged directory is one
 * line (exit 2) before any network is read. A directory without SHA256SUMS (written before it
 * existed) is still opened, with a warning that its files cannot be verified.
 */
public final class ModelDirectory {
    public static final String MODEL_ZIP = "model.zip";
    public static final String INFO_JSON = "model.json";
    public static final String CONFIG = "config.conf";
    public static final String MANIFEST = "manifest.json";
    public static final String VOCAB = "vocab.txt";
    public static final String SUMS = Sha256Sums.FILE;

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

    /** Writes the model directory at {@code location} atomically (see the class note), replacing one that is there. */
    public static void write(String location, Configuration hadoopConf, Model net, Info info,
                             String configText, DatasetManifest manifest, List<String> vocab) throws IOException {
        FileSystem fs = fileSystem(new Path(location), hadoopConf);
        Path target = fs.makeQualified(new Path(location));
        if (target.getParent() == null) {
            throw new IllegalArgumentException("model directory " + location + " must not be a file system root");
        }
        String token = UUID.randomUUID().toString();
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + token);
        try {
            RunDirectory d = new RunDirectory(tmp.toString(), hadoopConf);
            Map<String, String> sums = new LinkedHashMap<>();
            ByteArrayOutputStream zip = new ByteArrayOutputStream();
            ModelSerializer.writeModel(net, zip, false);
            put(d, sums, MODEL_ZIP, zip.toByteArray());
            info.parameters = net.numParams();
            info.network = Networks.typeName(net);
            put(d, sums, INFO_JSON, JSON.writeValueAsBytes(info));
            put(d, sums, CONFIG, configText.getBytes(StandardCharsets.UTF_8));
            put(d, sums, MANIFEST, manifest.toJson().getBytes(StandardCharsets.UTF_8));
            if (vocab != null && !vocab.isEmpty()) {
                put(d, sums, VOCAB, (String.join("\n", vocab) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            d.write(SUMS, Sha256Sums.format(sums).getBytes(StandardCharsets.UTF_8));
            replace(fs, tmp, target, token);
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        }
    }

    private static void put(RunDirectory d, Map<String, String> sums, String name, byte[] bytes) throws IOException {
        d.write(name, bytes);
        sums.put(name, Sha256.of(bytes));
    }

    /** Renames {@code tmp} onto {@code target}, moving an existing target aside first and back on failure. */
    private static void replace(FileSystem fs, Path tmp, Path target, String token) throws IOException {
        Path old = null;
        if (fs.exists(target)) {
            old = new Path(target.getParent(), "." + target.getName() + ".old-" + token);
            if (!fs.rename(target, old)) {
                throw new IOException("could not move the existing " + target + " aside to " + old);
            }
        }
        if (!fs.rename(tmp, target)) {
            if (old != null) {
                fs.rename(old, target);
            }
            throw new IOException("could not rename " + tmp + " to " + target);
        }
        if (old != null) {
            fs.delete(old, true);
        }
    }

    /** Local paths through the raw local file system (no .crc side files), as {@link RunDirectory} does. */
    private static FileSystem fileSystem(Path p, Configuration hadoopConf) throws IOException {
        FileSystem fs = p.getFileSystem(hadoopConf);
        return "file".equals(fs.getUri().getScheme()) ? FileSystem.getLocal(hadoopConf).getRaw() : fs;
    }

    /**
     * Opens and verifies a model directory (warnings go to stderr).
     *
     * @throws IllegalArgumentException one line naming the directory and the file at fault: model.zip
     *         or model.json missing, a file missing or changed since SHA256SUMS was written, vocab.txt
     *         not matching the manifest's vocab_size
     */
    public static ModelDirectory open(String location, Configuration hadoopConf) {
        return open(location, hadoopConf, w -> System.err.println("surnn: warning: " + w));
    }

    /** {@link #open(String, Configuration)} with warnings sent to {@code warnings}. */
    public static ModelDirectory open(String location, Configuration hadoopConf, Consumer<String> warnings) {
        try {
            RunDirectory d = new RunDirectory(location, hadoopConf);
            byte[] info = d.readIfExists(INFO_JSON);
            if (info == null || d.readIfExists(MODEL_ZIP) == null) {
                throw new IllegalArgumentException("--model " + location + ": not a model directory (needs "
                        + MODEL_ZIP + " and " + INFO_JSON + ", as `surnn train` writes to <output.dir>/model)");
            }
            verifySums(d, location, warnings);
            ModelDirectory md = new ModelDirectory(d, JSON.readValue(info, Info.class));
            md.checkVocab(location);
            return md;
        } catch (IOException e) {
            throw new IllegalArgumentException("--model " + location + ": " + e.getMessage(), e);
        }
    }

    private static void verifySums(RunDirectory d, String location, Consumer<String> warnings) throws IOException {
        byte[] text = d.readIfExists(SUMS);
        if (text == null) {
            warnings.accept(location + " has no " + SUMS + " (written by an older driver): its files cannot be "
                    + "verified; train again (or --resume) to get a checked model directory");
            return;
        }
        Map<String, String> sums = Sha256Sums.parse(new String(text, StandardCharsets.UTF_8), d.display(SUMS));
        for (String required : List.of(MODEL_ZIP, INFO_JSON)) {
            if (!sums.containsKey(required)) {
                throw new IllegalArgumentException("--model " + location + ": " + SUMS + " does not list " + required);
            }
        }
        for (Map.Entry<String, String> e : sums.entrySet()) {
            byte[] bytes = e.getKey().contains("..") ? null : d.readIfExists(e.getKey());
            if (bytes == null) {
                throw new IllegalArgumentException("--model " + location + ": " + e.getKey() + " is missing ("
                        + SUMS + " lists it): the model directory is incomplete");
            }
            String actual = Sha256.of(bytes);
            if (!actual.equals(e.getValue())) {
                throw new IllegalArgumentException("--model " + location + ": " + e.getKey() + " does not match "
                        + SUMS + " (sha256 " + actual.substring(0, 12) + "…, expected " + e.getValue().substring(0, 12)
                        + "…): changed or damaged since training; train again or restore the directory");
            }
        }
    }

    /** vocab.txt, when there is one or the manifest names one, must have vocab_size lines. */
    private void checkVocab(String location) throws IOException {
        DatasetManifest m = manifest();
        byte[] b = dir.readIfExists(VOCAB);
        if (b == null && m.vocabFile == null) {
            return;
        }
        if (b == null) {
            throw new IllegalArgumentException("--model " + location + ": " + VOCAB + " is missing (manifest.json names "
                    + m.vocabFile + " with vocab_size " + m.vocabSize + ")");
        }
        int lines = lines(b).size();
        if (lines != m.vocabSize) {
            throw new IllegalArgumentException(dir.display(VOCAB) + " has " + lines + " lines, the model's "
                    + MANIFEST + " says vocab_size " + m.vocabSize);
        }
    }

    public Info info() {
        return info;
    }

    /**
     * The trained network, of the type model.json names (a MultiLayerNetwork or a ComputationGraph).
     *
     * @throws IllegalArgumentException naming model.zip when it cannot be read as a DL4J model
     */
    public Model network() throws IOException {
        try {
            return Networks.restore(info.network, new ByteArrayInputStream(dir.readIfExists(MODEL_ZIP)), false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.display(INFO_JSON) + ": network: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(dir.display(MODEL_ZIP) + ": cannot be read as a DL4J model ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + "); the model directory is damaged", e);
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

    /** The vocabulary (checked against vocab_size by {@link #open}), or an empty list when the model has none. */
    public List<String> vocab() throws IOException {
        byte[] b = dir.readIfExists(VOCAB);
        return b == null ? List.of() : lines(b);
    }

    private static List<String> lines(byte[] b) {
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
