package io.surnn.driver.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunLockTest {
    @TempDir
    Path tmp;

    private final Configuration conf = new Configuration();
    private final List<String> warnings = new ArrayList<>();

    private RunLock acquire(Path dir, boolean force) throws IOException {
        return RunLock.acquire(dir.toString(), conf, "train", force, warnings::add);
    }

    /** A pid no process has: one of a child that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        return pid;
    }

    private static void writeLock(Path dir, String host, long pid, Instant heartbeat) throws IOException {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("run_id", "old-run");
        o.put("host", host);
        o.put("pid", pid);
        o.put("started_at", heartbeat.minusSeconds(60).toString());
        o.put("heartbeat_at", heartbeat.toString());
        o.put("command", "train");
        Files.createDirectories(dir);
        // Replaced in one rename, as a heartbeat thread may read it at any moment.
        Path t = Files.writeString(dir.resolve("lock.tmp"), o.toString());
        Files.move(t, dir.resolve(RunLock.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void oneHolderAtATimeAndReleaseDeletesTheFile() throws IOException {
        Path run = tmp.resolve("run");
        RunLock first = acquire(run, false);
        String content = Files.readString(run.resolve(RunLock.FILE));
        assertTrue(content.contains(first.runId()) && content.contains("\"pid\":" + ProcessHandle.current().pid()), content);
        RunLock.requireHeld(run.toString(), conf, "test");

        RunDirectoryRefusedException busy = assertThrows(RunDirectoryRefusedException.class, () -> acquire(run, false));
        assertTrue(busy.getMessage().contains("in use by another run") && busy.getMessage().contains(first.runId())
                && busy.getMessage().contains(run.toString()), busy.getMessage());
        assertFalse(busy.getMessage().contains("\n"));
        assertEquals(content, Files.readString(run.resolve(RunLock.FILE)), "the holder's lock untouched");

        first.close();
        assertFalse(Files.exists(run.resolve(RunLock.FILE)));
        assertThrows(IllegalStateException.class, () -> RunLock.requireHeld(run.toString(), conf, "test"));
        try (RunLock second = acquire(run, false)) {
            assertNotEquals(first.runId(), second.runId());
        }
    }

    @Test
    void aLockWhoseProcessIsGoneIsReportedWithItsContentAndTheWayOut() throws Exception {
        Path run = tmp.resolve("dead");
        long pid = deadPid();
        writeLock(run, RunLock.hostName(), pid, Instant.now());
        RunDirectoryRefusedException e = assertThrows(RunDirectoryRefusedException.class, () -> acquire(run, false));
        String m = e.getMessage();
        assertTrue(m.contains("is locked by a run that is gone") && m.contains("process " + pid + " is not running")
                && m.contains("old-run") && m.contains("--force-unlock") && m.contains(run.resolve(RunLock.FILE).toString()), m);
        assertTrue(Files.exists(run.resolve(RunLock.FILE)), "a stale lock is not removed without --force-unlock");

        try (RunLock mine = acquire(run, true)) {
            assertTrue(Files.readString(run.resolve(RunLock.FILE)).contains(mine.runId()));
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains("--force-unlock") && warnings.get(0).contains("old-run"), warnings.get(0));
        }
    }

    @Test
    void aLockFromAnotherHostIsStaleOnlyWithoutAHeartbeat() throws Exception {
        Path run = tmp.resolve("remote");
        writeLock(run, "some-other-host", 4242, Instant.now().minusSeconds(30));
        RunDirectoryRefusedException live = assertThrows(RunDirectoryRefusedException.class, () -> acquire(run, false));
        assertTrue(live.getMessage().contains("in use by another run") && live.getMessage().contains("some-other-host"),
                live.getMessage());

        writeLock(run, "some-other-host", 4242, Instant.now().minus(Duration.ofHours(2)));
        RunDirectoryRefusedException stale = assertThrows(RunDirectoryRefusedException.class, () -> acquire(run, false));
        assertTrue(stale.getMessage().contains("no heartbeat for 2 h") && stale.getMessage().contains("--force-unlock"),
                stale.getMessage());
    }

    @Test
    void theHeartbeatRefreshesTheFileAndNoticesALostLock() throws Exception {
        Path run = tmp.resolve("beat");
        try (RunLock lock = RunLock.acquire(run.toString(), conf, "train", false, warnings::add,
                Duration.ofMillis(100), Duration.ofMinutes(10))) {
            String before = Files.readString(run.resolve(RunLock.FILE));
            Thread.sleep(1500);
            String after = Files.readString(run.resolve(RunLock.FILE));
            assertNotEquals(before, after, "heartbeat_at was rewritten");
            assertTrue(after.contains(lock.runId()));
            lock.ensureHeld();

            // Someone else's --force-unlock, then their lock.
            writeLock(run, "some-other-host", 4242, Instant.now());
            RunLockLostException lost = assertThrows(RunLockLostException.class, lock::ensureHeld);
            assertTrue(lost.getMessage().contains("old-run"), lost.getMessage());
        }
        assertTrue(Files.readString(run.resolve(RunLock.FILE)).contains("old-run"), "release leaves another run's lock alone");
    }

    @Test
    void moveContentsAsideRenamesTheDirectoryAndKeepsTheLock() throws IOException {
        Path run = tmp.resolve("used");
        try (RunLock lock = acquire(run, false)) {
            Files.createDirectories(run.resolve("checkpoints/step-000000000052"));
            Files.writeString(run.resolve("metrics.json"), "{\"steps\":52}");
            assertEquals(List.of("checkpoints", "metrics.json"), lock.contents());

            org.apache.hadoop.fs.Path aside = lock.moveContentsAside();
            Path old = Path.of(aside.toUri().getPath());
            assertTrue(old.getFileName().toString().startsWith("used.old-"), old.toString());
            assertEquals("{\"steps\":52}", Files.readString(old.resolve("metrics.json")));
            assertTrue(Files.isDirectory(old.resolve("checkpoints/step-000000000052")));
            assertFalse(Files.exists(old.resolve(RunLock.FILE)), "the lock did not go along");
            assertEquals(List.of(), lock.contents());
            assertTrue(Files.readString(run.resolve(RunLock.FILE)).contains(lock.runId()));
            lock.ensureHeld();
        }
        assertFalse(Files.exists(run.resolve(RunLock.FILE)));
    }
}
