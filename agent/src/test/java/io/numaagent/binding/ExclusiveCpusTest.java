package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.topology.CpuSet;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock registry, with real lock files, real other processes and a real unusable directory. */
class ExclusiveCpusTest {

    @TempDir
    Path dir;

    private static final CpuSet CPU0 = CpuSet.of(0);
    private static final CpuSet CPU1 = CpuSet.of(1);
    private static final CpuSet CORE01 = CpuSet.of(0, 1);

    private List<String> filesIn(Path lockDir) throws Exception {
        try (Stream<Path> s = Files.list(lockDir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> warnings = new ArrayList<>();

    private LockFileExclusiveCpus registry(Path lockDir) {
        return LockFileExclusiveCpus.open(lockDir, warnings::add);
    }

    @Test
    void aCpuIsLeasedOnceWithinThisJvm() {
        ExclusiveCpus ex = registry(dir.resolve("locks"));
        assertEquals(CPU0, ex.acquire(List.of(CPU0, CPU1), "a").orElseThrow().cpus());
        assertEquals(CPU1, ex.acquire(List.of(CPU0, CPU1), "b").orElseThrow().cpus());
        assertEquals(Optional.empty(), ex.acquire(List.of(CPU0, CPU1), "c"));
        assertEquals(2, ex.leased());
    }

    @Test
    void aCoreIsLeasedWholeOrNotAtAll() {
        ExclusiveCpus ex = registry(dir.resolve("locks"));
        CpuLease one = ex.acquire(List.of(CPU1), "a").orElseThrow();
        assertEquals(Optional.empty(), ex.acquire(List.of(CORE01), "b"));
        one.release();
        CpuLease core = ex.acquire(List.of(CORE01), "b").orElseThrow();
        assertEquals(CORE01, core.cpus());
        assertEquals(2, ex.leased());
    }

    @Test
    void lockDirectoryIsCreatedAndHoldsOneFilePerLeasedCpuNamingTheOwner() throws Exception {
        Path lockDir = dir.resolve("a/b/locks");
        ExclusiveCpus ex = registry(lockDir);
        ex.acquire(List.of(CORE01), "engine-worker-3").orElseThrow();
        assertEquals(List.of("cpu-0.lock", "cpu-1.lock", "registry.lock"), filesIn(lockDir));
        assertEquals("pid " + ProcessHandle.current().pid() + " engine-worker-3\n", Files.readString(lockDir.resolve("cpu-0.lock")));
    }

    @Test
    void releaseRemovesTheLockFilesAndIsIdempotentFromAnyThread() throws Exception {
        Path lockDir = dir.resolve("locks");
        ExclusiveCpus ex = registry(lockDir);
        CpuLease lease = ex.acquire(List.of(CORE01), "a").orElseThrow();
        Thread other = new Thread(lease::release);
        other.start();
        other.join();
        lease.release();
        assertEquals(0, ex.leased());
        assertEquals(List.of("registry.lock"), filesIn(lockDir));
        assertEquals(CORE01, ex.acquire(List.of(CORE01), "b").orElseThrow().cpus());
    }

    @Test
    void aLeftoverLockFileIsFreeAndRemovedOnRelease() throws Exception {
        Path lockDir = dir.resolve("locks");
        Files.createDirectories(lockDir);
        Files.writeString(lockDir.resolve("cpu-0.lock"), "pid 1 long gone\n");
        ExclusiveCpus ex = registry(lockDir);
        CpuLease lease = ex.acquire(List.of(CPU0), "a").orElseThrow();
        lease.release();
        assertEquals(List.of("registry.lock"), filesIn(lockDir));
    }

    @Test
    void aCpuHeldByAnotherProcessIsSkippedAndFreedWhenThatProcessDies() throws Exception {
        Path lockDir = dir.resolve("locks");
        Process holder = ChildJvm.builder(ChildJvm.currentJava(), List.of(), ExclusiveCpuWorkerMain.class, "hold", lockDir.toString(), "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("HELD 0", out.readLine());
            ExclusiveCpus ex = registry(lockDir);
            assertEquals(CPU1, ex.acquire(List.of(CPU0, CPU1), "here").orElseThrow().cpus());
            assertEquals(Optional.empty(), ex.acquire(List.of(CPU0), "here"));

            holder.destroyForcibly(); // SIGKILL: no release; the kernel drops its lock, its file stays
            assertTrue(holder.waitFor(30, TimeUnit.SECONDS));
            assertTrue(Files.exists(lockDir.resolve("cpu-0.lock")));
            CpuLease lease = ex.acquire(List.of(CPU0), "here").orElseThrow();
            assertEquals(CPU0, lease.cpus());
            lease.release();
            assertFalse(Files.exists(lockDir.resolve("cpu-0.lock")));
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void twoProcessesRacingForOneCpuNeverHoldItTogether() throws Exception {
        // Each lease is checked by creating a marker file exclusively; a double owner fails to.
        // This races delete-on-release against open-and-lock thousands of times.
        Path lockDir = dir.resolve("locks");
        Path markers = Files.createDirectories(dir.resolve("markers"));
        List<Process> racers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            racers.add(ChildJvm.builder(ChildJvm.currentJava(), List.of(), ExclusiveCpuWorkerMain.class,
                    "stress", lockDir.toString(), "0", "3000", markers.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : racers) {
            String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertTrue(result.matches("LEASES [1-9]\\d* CONFLICTS 0"), result);
        }
        assertEquals(List.of("registry.lock"), filesIn(lockDir));
    }

    @Test
    void unusableLockDirectoryDegradesToThisJvmOnlyWithOneWarning() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        Binding b = Binding.createWithJna(notADirectory.resolve("locks"), JnaLibnuma.SONAME, Optional.empty());
        assertEquals(1, b.warnings().size(), b.warnings()::toString);
        assertTrue(b.warnings().get(0).startsWith("lock directory " + notADirectory.resolve("locks") + " is not usable ("), b.warnings().get(0));
        assertTrue(b.warnings().get(0).endsWith("exclusive CPUs are exclusive within this JVM only; set a writable lock directory to share them with other processes"));
        assertEquals(CPU0, b.exclusive().acquire(List.of(CPU0), "a").orElseThrow().cpus());
        assertEquals(Optional.empty(), b.exclusive().acquire(List.of(CPU0), "b"));
    }
}
