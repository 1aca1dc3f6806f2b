package io.surnn.driver.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.surnn.driver.config.RunConfig;
import io.surnn.driver.report.RunLock;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints of one run, in a directory on any Hadoop file system (output.dir/checkpoints).
 *
 * <p>Design: each checkpoint is a directory {@code step-<12 digits>} holding model.zip (DL4J's
 * ModelSerializer with the updater state), state.json ({@link CheckpointState}), config.conf (the
 * resolved config) and SHA256SUMS, written last. A save writes everything under
 * {@code _tmp-step-…-<uuid>} and then renames it into place, so a reader never sees a half-written
 * checkpoint under its final name (rename is atomic on HDFS and local disks; on object stores it is
 * a copy, and the checksums catch what it leaves broken). Loading verifies every file against
 * SHA256SUMS; {@link #latestValid()} walks back from the newest and skips, with a warning, any
 * checkpoint that fails. Leftover temp directories (a crash mid-save) are ignored and removed by the
 * next save. After each save only the newest {@code keep} checkpoints remain.
 *
 * <p>A run's store ({@link #forRun}) checks before each save that the run still holds its run
 * directory's {@link RunLock}: removing leftover temp directories and pruning are only safe when no
 * other run writes there. A save also refuses a network whose state is not finite ({@link
 * NetworkState}), so a checkpoint is always a state to resume from.
 */
public final class CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);

    static final String MODEL_FILE = "model.zip";
    static final String STATE_FILE = "state.json";
    static final String CONFIG_FILE = "config.conf";
    static final String SUMS_FILE = "SHA256SUMS";
    private static final List<String> PAYLOAD = List.of(MODEL_FILE, STATE_FILE, CONFIG_FILE);
    private static final String TMP_PREFIX = "_tmp-";
    private static final Pattern NAME = Pattern.compile("step-(\\d{12})");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final FileSystem fs;
    private final Path dir;
    private final int keep;
    private final Consumer<String> warnings;
    private OwnerCheck owner = () -> {};

    /** Fails when the caller no longer owns the directory the store writes in. */
    @FunctionalInterface
    public interface OwnerCheck {
        void check() throws IOException;
    }

    /**
     * @param dir      the checkpoints directory (created on first save)
     * @param keep     how many of the newest checkpoints to keep (>= 1)
     * @param warnings where warnings about skipped checkpoints go (use {@link #CheckpointStore(String,
     *                 Configuration, int)} to send them to the log)
     */
    public CheckpointStore(String dir, Configuration hadoopConf, int keep, Consumer<String> warnings) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint.keep: must be >= 1, got " + keep);
        }
        this.dir = new Path(dir);
        this.fs = this.dir.getFileSystem(hadoopConf);
        this.keep = keep;
        this.warnings = warnings;
    }

    public CheckpointStore(String dir, Configuration hadoopConf, int keep) throws IOException {
        this(dir, hadoopConf, keep, LOG::warn);
    }

    /**
     * The store of run {@code config} (output.dir/checkpoints, keeping checkpoint.keep), writing only
     * while {@code lock} is held; skipped checkpoints are reported on {@code warnings}.
     */
    public static CheckpointStore forRun(RunConfig config, Configuration hadoopConf, RunLock lock,
                                         Consumer<String> warnings) throws IOException {
        RunLock.requireHeld(config.output().dir(), hadoopConf, "checkpoint store opened");
        CheckpointStore s = new CheckpointStore(config.output().checkpointsDir(), hadoopConf, config.checkpoint().keep(), warnings);
        s.owner = lock::ensureHeld;
        return s;
    }

    /** The checkpoints directory. */
    public Path dir() {
        return dir;
    }

    /**
     * Writes a checkpoint of {@code model} (parameters and updater state) with {@code state} and the
     * resolved config text, atomically; replaces one of the same step; then prunes to {@code keep}.
     */
    public Checkpoint save(Model model, CheckpointState state, String configText) throws IOException {
        owner.check();
        Optional<String> bad = NetworkState.nonFinite(model);
        if (bad.isPresent()) {
            throw new IllegalStateException("refusing to write the checkpoint of step " + state.step() + ": " + bad.get());
        }
        String name = String.format("step-%012d", state.step());
        Path tmp = new Path(dir, TMP_PREFIX + name + "-" + UUID.randomUUID());
        CheckpointState stamped = state.stamped(model.getClass().getSimpleName(), Instant.now().toString());
        fs.mkdirs(tmp);
        try {
            Map<String, String> sums = new LinkedHashMap<>();
            try (FSDataOutputStream out = fs.create(new Path(tmp, MODEL_FILE), false)) {
                ModelSerializer.writeModel(model, out, true);
            }
            write(new Path(tmp, STATE_FILE), JSON.writeValueAsBytes(stamped));
            write(new Path(tmp, CONFIG_FILE), configText.getBytes(StandardCharsets.UTF_8));
            for (String f : PAYLOAD) {
                sums.put(f, sha256(new Path(tmp, f)));
            }
            StringBuilder text = new StringBuilder();
            sums.forEach((f, h) -> text.append(h).append("  ").append(f).append('\n'));
            write(new Path(tmp, SUMS_FILE), text.toString().getBytes(StandardCharsets.UTF_8));

            Path target = new Path(dir, name);
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("could not rename " + tmp + " to " + target);
            }
            removeLeftoverTemps();
            prune();
            return new Checkpoint(fs, target, stamped, configText);
        } finally {
            if (fs.exists(tmp)) {
                fs.delete(tmp, true);
            }
        }
    }

    /**
     * The newest checkpoint whose files match their checksums, or empty. Each newer one that fails
     * is skipped with a warning naming it and the reason; temp directories are never considered.
     */
    public Optional<Checkpoint> latestValid() throws IOException {
        for (Path p : committed()) {
            try {
                return Optional.of(open(p));
            } catch (IOException | RuntimeException e) {
                warnings.accept("checkpoint " + p + " skipped: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** Committed checkpoint directories (name step-…), newest first; not verified. */
    public List<Path> committed() throws IOException {
        List<Path> out = new ArrayList<>();
        for (FileStatus s : listOrEmpty()) {
            if (s.isDirectory() && NAME.matcher(s.getPath().getName()).matches()) {
                out.add(s.getPath());
            }
        }
        out.sort(Comparator.comparingLong(CheckpointStore::stepOf).reversed());
        return out;
    }

    /** Verifies {@code p} against its SHA256SUMS and reads its state and config. */
    public Checkpoint open(Path p) throws IOException {
        Map<String, String> sums = readSums(p);
        for (String f : PAYLOAD) {
            String expected = sums.get(f);
            if (expected == null) {
                throw new IOException(SUMS_FILE + " does not list " + f);
            }
            String actual = sha256(new Path(p, f));
            if (!actual.equals(expected)) {
                throw new IOException(f + " is corrupt (sha256 " + actual + ", expected " + expected + ")");
            }
        }
        CheckpointState state;
        try (InputStream in = fs.open(new Path(p, STATE_FILE))) {
            state = JSON.readValue(in, CheckpointState.class);
        }
        String config;
        try (InputStream in = fs.open(new Path(p, CONFIG_FILE))) {
            config = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return new Checkpoint(fs, p, state, config);
    }

    private Map<String, String> readSums(Path p) throws IOException {
        Map<String, String> sums = new LinkedHashMap<>();
        String text;
        try (InputStream in = fs.open(new Path(p, SUMS_FILE))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (FileNotFoundException e) {
            throw new IOException("no " + SUMS_FILE + " (incomplete checkpoint)");
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) continue;
            String[] parts = line.split(" {2}", 2);
            if (parts.length != 2 || parts[0].length() != 64) {
                throw new IOException(SUMS_FILE + " has a malformed line: " + line);
            }
            sums.put(parts[1].trim(), parts[0]);
        }
        return sums;
    }

    private void prune() throws IOException {
        List<Path> all = committed();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            fs.delete(old, true);
        }
    }

    private void removeLeftoverTemps() throws IOException {
        owner.check();
        for (FileStatus s : listOrEmpty()) {
            if (s.getPath().getName().startsWith(TMP_PREFIX)) {
                LOG.info("removing an incomplete checkpoint left by an earlier run: {}", s.getPath());
                fs.delete(s.getPath(), true);
            }
        }
    }

    private FileStatus[] listOrEmpty() throws IOException {
        try {
            return fs.listStatus(dir);
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    private void write(Path p, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = fs.create(p, false)) {
            out.write(bytes);
        }
    }

    private String sha256(Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return Sha256.of(in);
        }
    }

    private static long stepOf(Path p) {
        Matcher m = NAME.matcher(p.getName());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }
}
