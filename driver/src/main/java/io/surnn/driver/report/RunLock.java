package io.surnn.driver.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.util.ShutdownHookManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Ownership of a run directory (output.dir): one run at a time writes into it.
 *
 * <p>Design: the lock is a file, {@code output.dir/run.lock}, created exclusively on the directory's
 * Hadoop file system (HDFS: an exclusive create at the name node; local disks: {@code O_EXCL}; object
 * stores have no exclusive create, so the content is read back and must carry this run's id — a race
 * there is narrowed, not ruled out). It holds one JSON object: run id, host, pid, the process's start
 * time, the run's start time, the last heartbeat and the command. A daemon thread rewrites the
 * heartbeat every 30 s after checking that the file still names this run; {@link #ensureHeld} checks
 * the same synchronously and is called before every checkpoint, so a run whose lock was taken from it
 * stops with {@link RunLockLostException} before writing more. The lock is released by {@link
 * #close} (in a finally) and by a shutdown hook (Ctrl-C, SIGTERM), which runs before Hadoop closes its
 * file systems.
 *
 * <p>A lock that is there when a run starts is either held — the run is refused with one line naming
 * its owner — or stale: its process is gone (same host, pid not running or now another process) or
 * its heartbeat is more than 10 minutes old. A stale lock is not taken over silently (a host name
 * shared by containers with separate pid spaces would make that unsafe); the run is refused with the
 * lock's content and the way out: {@code train --force-unlock}, which removes whatever lock is there,
 * or deleting the file. A live owner whose lock was removed notices at its next heartbeat or
 * checkpoint and fails.
 *
 * <p>{@link #requireHeld} lets the writers of a run directory (metrics log, checkpoint store) check
 * that this JVM holds its lock.
 */
public final class RunLock implements Closeable {
    /** The lock file's name inside the run directory. */
    public static final String FILE = "run.lock";
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    static final Duration STALE_AFTER = Duration.ofMinutes(10);
    /** Runs after Spark's shutdown hooks and before Hadoop closes its file systems (priority 10). */
    private static final int SHUTDOWN_PRIORITY = FileSystem.SHUTDOWN_HOOK_PRIORITY + 5;
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HELD = ConcurrentHashMap.newKeySet();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final FileSystem fs;
    private final Path dir;
    private final Path file;
    private final Holder me;
    private final Duration heartbeat;
    private final Runnable hook = this::close;
    private ScheduledExecutorService beat;
    private volatile String lost;
    private boolean released;

    private RunLock(FileSystem fs, Path dir, Holder me, Duration heartbeat) {
        this.fs = fs;
        this.dir = dir;
        this.file = new Path(dir, FILE);
        this.me = me;
        this.heartbeat = heartbeat;
    }

    /**
     * Takes the lock of run directory {@code dir} (created if missing) for {@code command}.
     *
     * @param forceUnlock remove a lock that is there first, whoever holds it (announced on {@code warn})
     * @throws RunDirectoryRefusedException the directory is locked, by a live run or a stale lock
     */
    public static RunLock acquire(String dir, Configuration conf, String command, boolean forceUnlock,
                                  Consumer<String> warn) throws IOException {
        return acquire(dir, conf, command, forceUnlock, warn, HEARTBEAT, STALE_AFTER);
    }

    static RunLock acquire(String dir, Configuration conf, String command, boolean forceUnlock, Consumer<String> warn,
                           Duration heartbeat, Duration staleAfter) throws IOException {
        RunDirectory rd = new RunDirectory(dir, conf);
        FileSystem fs = rd.fileSystem();
        Path d = rd.dir();
        Path file = new Path(d, FILE);
        fs.mkdirs(d);
        Holder me = Holder.current(command);
        boolean force = forceUnlock;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (createExclusive(fs, file, me.toJson())) {
                Optional<Holder> there = Holder.read(fs, file);
                if (there.isPresent() && me.runId.equals(there.get().runId)) {
                    RunLock lock = new RunLock(fs, d, me, heartbeat);
                    lock.start();
                    return lock;
                }
            }
            Optional<Holder> other = Holder.read(fs, file);
            if (other.isEmpty()) {
                continue;                                   // released meanwhile: try again
            }
            if (force) {
                warn.accept("--force-unlock: removing the lock " + RunDirectory.display(file) + " of " + other.get().describe());
                fs.delete(file, false);
                force = false;
                continue;
            }
            Optional<String> stale = other.get().staleness(staleAfter);
            if (stale.isPresent()) {
                throw new RunDirectoryRefusedException("output.dir " + rd.display() + " is locked by a run that is gone ("
                        + stale.get() + "): " + other.get().describe() + "; if no run is using the directory, train again with "
                        + "--force-unlock (or delete " + rd.display(FILE) + ")");
            }
            throw new RunDirectoryRefusedException("output.dir " + rd.display() + " is in use by another run: "
                    + other.get().describe() + "; wait for it to end, or set another output.dir");
        }
        throw new IOException("could not take the lock " + RunDirectory.display(file) + ": it keeps changing");
    }

    /**
     * Fails unless this JVM holds the lock of run directory {@code dir}: the writers of a run directory
     * call it before they create or delete anything there.
     *
     * @param what what was about to happen, for the message (e.g. "metrics.jsonl opened")
     */
    public static void requireHeld(String dir, Configuration conf, String what) throws IOException {
        Path d = new RunDirectory(dir, conf).dir();
        if (!HELD.contains(d.toString())) {
            throw new IllegalStateException(what + " in " + d + " without holding the directory's " + FILE
                    + " (a writer of the run directory was called outside TrainingRun)");
        }
    }

    /** The run directory. */
    public Path dir() {
        return dir;
    }

    /** This run's id (in the lock file). */
    public String runId() {
        return me.runId;
    }

    /** Names in the run directory besides the lock file, sorted. */
    public List<String> contents() throws IOException {
        List<String> names = new ArrayList<>();
        for (FileStatus s : fs.listStatus(dir)) {
            if (!FILE.equals(s.getPath().getName())) {
                names.add(s.getPath().getName());
            }
        }
        Collections.sort(names);
        return names;
    }

    /**
     * Moves everything in the run directory aside, in one rename of the directory to the sibling
     * {@code <dir>.old-<yyyyMMdd-HHmmss>}, and takes the lock again in the (new, empty) directory.
     *
     * @return where the old contents now are
     * @throws RunDirectoryRefusedException another run took the new directory between the two steps
     */
    public synchronized Path moveContentsAside() throws IOException {
        ensureHeld();
        Path parent = dir.getParent();
        if (parent == null) {
            throw new IOException("cannot move " + RunDirectory.display(dir) + " aside: it is a root directory");
        }
        String stamp = LocalDateTime.now().format(STAMP);
        Path aside = new Path(parent, dir.getName() + ".old-" + stamp);
        for (int i = 2; fs.exists(aside); i++) {
            aside = new Path(parent, dir.getName() + ".old-" + stamp + "-" + i);
        }
        stopHeartbeat();
        if (!fs.rename(dir, aside)) {
            startHeartbeat();
            throw new IOException("could not move " + RunDirectory.display(dir) + " aside to " + RunDirectory.display(aside));
        }
        fs.mkdirs(dir);
        boolean again = createExclusive(fs, file, me.toJson());
        fs.delete(new Path(aside, FILE), false);
        if (!again) {
            released = true;
            HELD.remove(dir.toString());
            removeHook();
            throw new RunDirectoryRefusedException("output.dir " + RunDirectory.display(dir) + ": the old run was moved to " + RunDirectory.display(aside)
                    + ", but another run took the directory at the same time; wait for it to end, or set another output.dir");
        }
        startHeartbeat();
        return aside;
    }

    /** Fails with {@link RunLockLostException} unless the lock file still names this run. */
    public synchronized void ensureHeld() throws IOException {
        if (released) {
            throw new RunLockLostException("the lock of " + RunDirectory.display(dir) + " was already released");
        }
        if (lost == null) {
            lost = whyNotHeld();
        }
        if (lost != null) {
            throw new RunLockLostException("lost the lock of output.dir " + RunDirectory.display(dir) + ": " + lost
                    + "; another run may be writing there, so this one stops");
        }
    }

    /** Releases the lock: stops the heartbeat and deletes the file if it still names this run. */
    @Override
    public synchronized void close() {
        if (released) {
            return;
        }
        released = true;
        stopHeartbeat();
        removeHook();
        HELD.remove(dir.toString());
        try {
            Optional<Holder> there = Holder.read(fs, file);
            if (there.isPresent() && me.runId.equals(there.get().runId)) {
                fs.delete(file, false);
            }
        } catch (IOException e) {
            LOG.warn("could not release {}: {}", file, e.getMessage());
        }
    }

    private void start() {
        HELD.add(dir.toString());
        try {
            ShutdownHookManager.get().addShutdownHook(hook, SHUTDOWN_PRIORITY);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: nothing to register for
        }
        startHeartbeat();
    }

    private void removeHook() {
        try {
            ShutdownHookManager.get().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // called from the hook itself, during shutdown
        }
    }

    private void startHeartbeat() {
        beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "surnn-run-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long ms = heartbeat.toMillis();
        beat.scheduleWithFixedDelay(this::beat, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void stopHeartbeat() {
        if (beat != null) {
            beat.shutdownNow();
            beat = null;
        }
    }

    private synchronized void beat() {
        if (released || lost != null) {
            return;
        }
        try {
            lost = whyNotHeld();
            if (lost == null) {
                try (OutputStream out = fs.create(file, true)) {
                    out.write(me.beating().toJson());
                }
            } else {
                LOG.error("lost the lock of {}: {}", dir, lost);
            }
        } catch (IOException e) {
            LOG.warn("run lock heartbeat for {} failed: {}", file, e.getMessage());
        }
    }

    private String whyNotHeld() throws IOException {
        Optional<Holder> there = Holder.read(fs, file);
        if (there.isEmpty()) {
            return "the lock file " + RunDirectory.display(file) + " was removed";
        }
        if (!me.runId.equals(there.get().runId)) {
            return "the lock file " + RunDirectory.display(file) + " now names " + there.get().describe();
        }
        return null;
    }

    /** Creates {@code file} with {@code bytes} unless it exists; false if it did. */
    private static boolean createExclusive(FileSystem fs, Path file, byte[] bytes) throws IOException {
        if (fs instanceof RawLocalFileSystem raw) {
            try (OutputStream out = Files.newOutputStream(raw.pathToFile(file).toPath(),
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes);
                return true;
            } catch (java.nio.file.FileAlreadyExistsException e) {
                return false;
            }
        }
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false;                                 // FileAlreadyExistsException, or a remote wrapper of it
            }
            throw e;
        }
    }

    /** The content of a lock file. Fields of an unreadable file are null (it is reported as such). */
    static final class Holder {
        final String runId;
        final String host;
        final long pid;
        final String processStart;
        final String startedAt;
        final String heartbeatAt;
        final String command;
        final long modifiedMillis;   // the file's modification time (0 for our own)

        Holder(String runId, String host, long pid, String processStart, String startedAt, String heartbeatAt,
               String command, long modifiedMillis) {
            this.runId = runId;
            this.host = host;
            this.pid = pid;
            this.processStart = processStart;
            this.startedAt = startedAt;
            this.heartbeatAt = heartbeatAt;
            this.command = command;
            this.modifiedMillis = modifiedMillis;
        }

        static Holder current(String command) {
            String now = Instant.now().toString();
            ProcessHandle self = ProcessHandle.current();
            return new Holder(UUID.randomUUID().toString(), hostName(), self.pid(),
                    self.info().startInstant().map(Instant::toString).orElse(null), now, now, command, 0);
        }

        Holder beating() {
            return new Holder(runId, host, pid, processStart, startedAt, Instant.now().toString(), command, 0);
        }

        byte[] toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("run_id", runId);
            o.put("host", host);
            o.put("pid", pid);
            o.put("process_start", processStart);
            o.put("started_at", startedAt);
            o.put("heartbeat_at", heartbeatAt);
            o.put("command", command);
            return (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
        }

        /** The lock file's content, or empty if there is none; an unparsable file gives a holder with null fields. */
        static Optional<Holder> read(FileSystem fs, Path file) throws IOException {
            byte[] bytes;
            long modified;
            try {
                modified = fs.getFileStatus(file).getModificationTime();
                try (InputStream in = fs.open(file)) {
                    bytes = in.readAllBytes();
                }
            } catch (FileNotFoundException e) {
                return Optional.empty();
            }
            try {
                JsonNode o = JSON.readTree(bytes);
                if (o != null && o.hasNonNull("run_id")) {
                    return Optional.of(new Holder(o.get("run_id").asText(), text(o, "host"), o.path("pid").asLong(-1),
                            text(o, "process_start"), text(o, "started_at"), text(o, "heartbeat_at"), text(o, "command"),
                            modified));
                }
            } catch (IOException e) {
                // half-written or not ours: reported as unreadable below
            }
            return Optional.of(new Holder(null, null, -1, null, null, null, null, modified));
        }

        private static String text(JsonNode o, String key) {
            return o.hasNonNull(key) ? o.get(key).asText() : null;
        }

        /** Why this lock is stale, or empty if its owner may be alive. */
        Optional<String> staleness(Duration staleAfter) {
            if (runId != null && hostName().equals(host) && pid > 0) {
                Optional<ProcessHandle> p = ProcessHandle.of(pid);
                if (p.isEmpty() || !p.get().isAlive()) {
                    return Optional.of("process " + pid + " is not running on " + host);
                }
                Optional<String> start = p.get().info().startInstant().map(Instant::toString);
                if (processStart != null && start.isPresent() && !sameSecond(processStart, start.get())) {
                    return Optional.of("pid " + pid + " on " + host + " is now another process");
                }
            }
            Duration age = Duration.between(lastSign(), Instant.now());
            if (age.compareTo(staleAfter) > 0) {
                return Optional.of("no heartbeat for " + human(age));
            }
            return Optional.empty();
        }

        private Instant lastSign() {
            if (heartbeatAt != null) {
                try {
                    return Instant.parse(heartbeatAt);
                } catch (RuntimeException e) {
                    // fall back to the file's time
                }
            }
            return Instant.ofEpochMilli(modifiedMillis);
        }

        String describe() {
            if (runId == null) {
                return "an unreadable lock file (last modified " + Instant.ofEpochMilli(modifiedMillis) + ")";
            }
            return "run " + runId + " (" + (command == null ? "" : command + ", ") + "pid " + pid + " on " + host
                    + ", started " + startedAt + ", last heartbeat " + human(Duration.between(lastSign(), Instant.now()))
                    + " ago)";
        }

        private static boolean sameSecond(String a, String b) {
            try {
                return Math.abs(Instant.parse(a).getEpochSecond() - Instant.parse(b).getEpochSecond()) <= 1;
            } catch (RuntimeException e) {
                return true;
            }
        }
    }

    private static String human(Duration d) {
        long s = Math.max(0, d.getSeconds());
        return s < 120 ? s + " s" : s < 7200 ? (s / 60) + " min" : (s / 3600) + " h";
    }

    private static volatile String host;

    static String hostName() {
        if (host == null) {
            String h;
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown-host");
            }
            host = h;
        }
        return host;
    }
}
