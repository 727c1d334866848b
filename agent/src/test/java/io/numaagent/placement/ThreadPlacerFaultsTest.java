package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.binding.Binding;
import io.numaagent.config.AgentConfig;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ThreadPlacer when the kernel does not do what the plan says: a CPU offline or a cpuset shrunk after
 * start, EPERM, an agent bug, more CPUs than OpenHFT's lock table holds. The kernel is a {@link FakeKernel}
 * behind {@link Binding#withCpus}; the exclusive-CPU leases are the real lock files in a temporary directory.
 */
class ThreadPlacerFaultsTest {

    private static final int EPERM = 1;

    @TempDir
    Path lockDir;

    private final RecordingLogger log = new RecordingLogger();

    private record Setup(ThreadPlacer placer, FakeKernel kernel, Binding binding) {
    }

    private Setup setup(String machine, String rules, CpuSet kernelCpus) {
        Topology topology = PlacementFixtures.machine(machine);
        AgentConfig config = PlacementFixtures.config(rules);
        FakeKernel kernel = new FakeKernel(kernelCpus);
        Binding binding = Binding.create(lockDir).withCpus(kernel);
        ThreadPlacer placer = new ThreadPlacer(config, new Planner(topology), binding, topology.cpus(), log, kernel::allowed);
        return new Setup(placer, kernel, binding);
    }

    /** What the placer left in a thread named {@code name}: its pin (null if unpinned), read before the thread ends. */
    private static PinnedThread startAndEnd(ThreadPlacer placer, String name) throws Exception {
        AtomicReference<PinnedThread> seen = new AtomicReference<>();
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Thread self = Thread.currentThread();
            placer.threadStarted(self);
            seen.set(placer.pinned().values().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null));
            placer.threadEnded(self);
        }, name);
        t.setUncaughtExceptionHandler((th, e) -> escaped.set(e));
        t.start();
        t.join();
        assertNull(escaped.get(), "an exception reached the thread");
        return seen.get();
    }

    private List<String> lockFiles() throws IOException {
        try (Stream<Path> files = Files.list(lockDir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("cpu-")).toList();
        }
    }

    @Test
    void cpusetShrunkAfterStartCutsTheNodeBindingToWhatIsLeftWithOneWarning() throws Exception {
        Setup s = setup("sparse-nodes", "node1-workers-node.properties", CpuSet.range(0, 7));
        s.kernel().allow(CpuSet.of(0, 1, 3)); // the container's cpuset lost CPU 2 after start
        PinnedThread first = startAndEnd(s.placer(), "worker-1");
        PinnedThread second = startAndEnd(s.placer(), "worker-2");
        assertEquals(CpuSet.of(3), first.requestedCpus());
        assertEquals(CpuSet.of(3), first.kernelCpus());
        assertTrue(first.confirmed(), log.lines()::toString);
        assertEquals(CpuSet.of(3), second.requestedCpus());
        List<String> shrunk = log.warnings().stream().filter(w -> w.contains("the cpuset shrank")).toList();
        assertEquals(1, shrunk.size(), log.lines()::toString);
        assertTrue(shrunk.get(0).contains("trimmed to 3 CPUs 2-3") && shrunk.get(0).endsWith("bound to 3 instead"), shrunk.get(0));
    }

    @Test
    void exclusiveCpuGoneOfflineAfterStartIsRefusedThenTheNodesRemainingCpuIsUsedAndTheLeaseReturned() throws Exception {
        Setup s = setup("sparse-nodes", "node1-workers-cpu.properties", CpuSet.range(0, 7));
        s.kernel().allow(CpuSet.of(0, 1, 3, 4, 5, 6, 7)); // CPU 2, node 1's first, went offline
        AtomicReference<PinnedThread> whileRunning = new AtomicReference<>();
        AtomicReference<Integer> leasedWhileRunning = new AtomicReference<>();
        Thread t = new Thread(() -> {
            s.placer().threadStarted(Thread.currentThread());
            whileRunning.set(s.placer().pinned().values().iterator().next());
            leasedWhileRunning.set(s.binding().exclusive().leased());
            s.placer().threadEnded(Thread.currentThread());
        }, "worker-1");
        t.start();
        t.join();
        assertEquals(CpuSet.of(3), whileRunning.get().kernelCpus());
        assertEquals(0, leasedWhileRunning.get(), "CPU 2 is offline: its lease must not be held");
        assertTrue(log.warnings().stream().anyMatch(w -> w.contains("refused (EINVAL) CPUs 2") && w.endsWith("bound to 3 instead")),
                log.lines()::toString);
        assertEquals(0, s.binding().exclusive().leased());
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void noneOfTheDevicesCpusLeftLeavesTheThreadUnpinnedWithAWarningAndNoLease() throws Exception {
        Setup s = setup("sparse-nodes", "node1-workers-cpu.properties", CpuSet.range(0, 7));
        s.kernel().allow(CpuSet.of(0, 1)); // node 1 (CPUs 2-3) is gone from the cpuset
        assertNull(startAndEnd(s.placer(), "worker-1"));
        assertTrue(log.warnings().stream().anyMatch(w -> w.startsWith("thread 'worker-1' left unpinned")
                && w.contains("none of them nor of the device's CPUs 2-3 is allowed now (CPUs online and in the cpuset: 0-1)")),
                log.lines()::toString);
        assertEquals(0, s.binding().exclusive().leased());
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void epermLeavesTheThreadUnpinnedNamesTheErrnoAndReturnsItsExclusiveCpu() throws Exception {
        Setup s = setup("sparse-nodes", "node1-workers-cpu.properties", CpuSet.range(0, 7));
        s.kernel().refuseEveryBindWith(EPERM);
        assertNull(startAndEnd(s.placer(), "worker-1"));
        assertEquals(1, s.kernel().binds(), "EPERM is not retried");
        assertTrue(log.warnings().stream().anyMatch(w -> w.startsWith("thread 'worker-1' left unpinned: binding to CPUs 2 failed")
                && w.contains("errno 1")), log.lines()::toString);
        assertEquals(0, s.binding().exclusive().leased());
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void anUncheckedExceptionInsideTheAgentNeverReachesTheThreadAndReturnsTheLease() throws Exception {
        Setup s = setup("sparse-nodes", "node1-workers-cpu.properties", CpuSet.range(0, 7));
        s.kernel().throwOnBind(new IllegalStateException("agent bug"));
        assertNull(startAndEnd(s.placer(), "worker-1"));
        assertNull(startAndEnd(s.placer(), "worker-2"));
        List<String> unexpected = log.warnings().stream().filter(w -> w.contains("unexpected java.lang.IllegalStateException")).toList();
        assertEquals(1, unexpected.size(), log.lines()::toString);
        assertEquals(0, s.binding().exclusive().leased());
        assertEquals(List.of(), lockFiles());
    }

    @Test
    void cpuAffinityUnavailableWarnsOnceHoweverManyThreadsStart() throws Exception {
        Topology topology = PlacementFixtures.machine("sparse-nodes");
        Binding binding = Binding.create(lockDir).withCpus(new FakeKernel(CpuSet.range(0, 7)) {
            @Override
            public boolean available() {
                return false;
            }
        });
        ThreadPlacer placer = new ThreadPlacer(PlacementFixtures.config("node1-workers-cpu.properties"), new Planner(topology),
                binding, topology.cpus(), log, () -> CpuSet.EMPTY);
        for (int i = 0; i < 5; i++) {
            assertNull(startAndEnd(placer, "worker-" + i));
        }
        assertEquals(List.of("thread 'worker-0' left unpinned: CPU binding is unavailable (see the warning logged when the native libraries loaded)"), log.warnings());
        assertEquals(0, binding.exclusive().leased());
    }

    @Test
    void moreThan256CpusEachWorkerLeasesItsOwnCpuBeyondOpenHftsLockTable() throws Exception {
        // many-cpus: 320 CPUs, node 1 = CPUs 160-319; 150 workers at once take CPUs up to 309.
        Setup s = setup("many-cpus", "node1-workers-cpu.properties", CpuSet.range(0, 319));
        int workers = 150;
        CyclicBarrier allPinned = new CyclicBarrier(workers + 1);
        CountDownLatch release = new CountDownLatch(1);
        Set<CpuSet> cpus = ConcurrentHashMap.newKeySet();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(() -> {
                try {
                    s.placer().threadStarted(Thread.currentThread());
                    cpus.add(s.kernel().currentThread());
                    allPinned.await();
                    release.await();
                    s.placer().threadEnded(Thread.currentThread());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "worker-" + i);
            threads.add(t);
            t.start();
        }
        allPinned.await();
        assertEquals(workers, s.binding().exclusive().leased());
        assertEquals(workers, s.placer().pinned().size());
        assertEquals(workers, cpus.size(), "every worker on a CPU of its own");
        CpuSet all = cpus.stream().reduce(CpuSet.EMPTY, CpuSet::union);
        assertEquals(CpuSet.range(160, 160 + workers - 1), all);
        assertTrue(all.last() > 256);
        release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(0, s.binding().exclusive().leased());
        assertEquals(List.of(), lockFiles());
        assertFalse(log.warnings().stream().anyMatch(w -> w.contains("left unpinned")), log.warnings()::toString);
    }

    @Test
    void aRenamedWorkerMovesToTheNewRulesCpusAndReturnsItsExclusiveCpu() throws Exception {
        Setup s = setup("sparse-nodes", "renamed-workers-node.properties", CpuSet.range(0, 7));
        AtomicReference<CpuSet> before = new AtomicReference<>();
        AtomicReference<Integer> leasedAfterRename = new AtomicReference<>();
        Thread t = new Thread(() -> {
            Thread self = Thread.currentThread();
            s.placer().threadStarted(self);
            before.set(s.kernel().currentThread());
            self.setName("other-1");
            s.placer().threadRenamed(self);
            leasedAfterRename.set(s.binding().exclusive().leased());
            s.placer().threadEnded(self);
        }, "worker-1");
        t.start();
        t.join();
        assertEquals(CpuSet.of(2), before.get());
        assertEquals(0, leasedAfterRename.get());
        assertTrue(s.placer().pinned().isEmpty(), "the thread ended");
        assertTrue(log.infos().stream().anyMatch(l -> l.startsWith("pinned thread 'other-1'") && l.contains("cpus 0-1")), log.lines()::toString);
        assertEquals(List.of(), lockFiles());
    }
}
