package io.numaagent.binding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.numaagent.topology.CpuSet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real implementation on this host: libc sets and reads back (OpenHFT gives thread ids on a glibc without gettid only). */
class CpuAffinityTest {

    static CpuAffinity cpus;
    static CpuSet allowed;

    @BeforeAll
    static void create(@TempDir Path lockDir) {
        Binding binding = Binding.create(lockDir);
        cpus = binding.cpus();
        assertTrue(cpus.available(), () -> "pinning must work on this host: " + binding.warnings());
        allowed = HostFacts.allowedCpus();
    }

    @Test
    void bindToFirstAllowedCpuReadsBackThatCpu() throws Exception {
        ThreadRunner.inNewThread(() -> {
            CpuSet one = CpuSet.of(allowed.first());
            assertEquals(one, cpus.bindCurrentThread(one));
            assertEquals(one, cpus.currentThread());
        });
    }

    @Test
    void bindToLastAllowedCpuReadsBackThatCpu() throws Exception {
        assumeTrue(allowed.size() >= 2, "needs two allowed CPUs");
        ThreadRunner.inNewThread(() -> {
            CpuSet one = CpuSet.of(allowed.last());
            assertEquals(one, cpus.bindCurrentThread(one));
            assertEquals(one, cpus.currentThread());
        });
    }

    @Test
    void newThreadStartsWithTheProcessMask() throws Exception {
        ThreadRunner.inNewThread(() -> assertEquals(allowed, cpus.currentThread()));
    }

    @Test
    void bindThreadMovesAnotherThreadByTid() throws Exception {
        java.util.concurrent.CompletableFuture<Integer> tid = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CountDownLatch moved = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CompletableFuture<CpuSet> seen = new java.util.concurrent.CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                tid.complete(cpus.currentTid());
                moved.await();
                seen.complete(cpus.currentThread());
            } catch (Exception e) {
                seen.completeExceptionally(e);
            }
        });
        other.start();
        CpuSet one = CpuSet.of(allowed.last());
        cpus.bindThread(tid.get(), one);
        moved.countDown();
        assertEquals(one, seen.get());
        other.join();
    }

    @Test
    void bindOnlyAffectsTheCallingThread() throws Exception {
        CpuSet before = cpus.currentThread();
        ThreadRunner.inNewThread(() -> cpus.bindCurrentThread(CpuSet.of(allowed.first())));
        assertEquals(before, cpus.currentThread());
    }

    @Test
    void maskWhollyOutsideAllowedCpusIsEinvalBindingException() throws Exception {
        int outside = HostFacts.firstDisallowedCpu();
        ThreadRunner.inNewThread(() -> {
            BindingException e = assertThrows(BindingException.class, () -> cpus.bindCurrentThread(CpuSet.of(outside)));
            assertEquals(22, e.errno());
            assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
            assertTrue(e.getMessage().contains("CPUs " + outside), e.getMessage());
            assertTrue(e.getMessage().contains("it may run on " + allowed.toList()), e.getMessage());
            assertEquals(allowed, cpus.currentThread(), "a refused mask leaves the thread's mask unchanged");
        });
    }

    @Test
    void maskPartlyOutsideAllowedCpusIsTrimmedByTheKernel() throws Exception {
        int outside = HostFacts.firstDisallowedCpu();
        ThreadRunner.inNewThread(() -> {
            CpuSet asked = CpuSet.of(allowed.first(), outside);
            assertEquals(CpuSet.of(allowed.first()), cpus.bindCurrentThread(asked));
        });
    }

    @Test
    void cpuIdsBeyond1023DoNotBreakTheBinding() throws Exception {
        // OpenHFT's cpu_set_t stops at 1023; such sets go to libc. The kernel ignores ids it does not have.
        ThreadRunner.inNewThread(() -> {
            CpuSet asked = CpuSet.of(allowed.first(), 1500);
            assertEquals(CpuSet.of(allowed.first()), cpus.bindCurrentThread(asked));
        });
    }

    @Test
    void emptySetIsRefusedBeforeTheKernel() throws Exception {
        ThreadRunner.inNewThread(() -> {
            BindingException e = assertThrows(BindingException.class, () -> cpus.bindCurrentThread(CpuSet.EMPTY));
            assertEquals(0, e.errno());
            assertEquals(allowed, cpus.currentThread());
        });
    }

    @Test
    void currentTidIsTheKernelThreadIdOfTheCaller() throws Exception {
        ThreadRunner.inNewThread(() -> {
            int tid = cpus.currentTid();
            String threadSelf = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString(); // "PID/task/TID"
            assertEquals(threadSelf.substring(threadSelf.lastIndexOf('/') + 1), Integer.toString(tid));
            assertNotEquals(ProcessHandle.current().pid(), (long) tid, "a non-main thread's tid is not the pid");
        });
    }
}
