package io.numaagent.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.numaagent.binding.Binding;
import io.numaagent.binding.BindingException;
import io.numaagent.binding.MemoryMode;
import io.numaagent.binding.MemoryPolicies;
import io.numaagent.binding.MemoryPolicyState;
import io.numaagent.topology.CpuSet;
import io.numaagent.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pin reads the binding back from the kernel exactly once for its CPU mask (the read the bind makes) and
 * once for its memory policy (the read the set makes), and what it reports as confirmed is that read-back,
 * not what was asked: kernels that report something else make the pin line say NOT confirmed.
 */
class ThreadPlacerReadBackTest {

    @TempDir
    Path lockDir;

    private final RecordingLogger log = new RecordingLogger();

    /** A FakeKernel that counts reads outside a bind, and can report a mask other than the one it applied. */
    static final class CountingKernel extends FakeKernel {
        final AtomicInteger extraReads = new AtomicInteger();
        volatile CpuSet reportInstead;

        CountingKernel(CpuSet allowed) {
            super(allowed);
        }

        @Override
        public CpuSet bindCurrentThread(CpuSet cpus) throws BindingException {
            CpuSet applied = super.bindCurrentThread(cpus);
            return reportInstead != null ? reportInstead : applied;
        }

        @Override
        public CpuSet currentThread() {
            extraReads.incrementAndGet();
            return super.currentThread();
        }
    }

    /** set_mempolicy that reads back what it set, or {@code reportInstead}; counts sets and separate reads. */
    static final class CountingMemory implements MemoryPolicies {
        final AtomicInteger applies = new AtomicInteger();
        final AtomicInteger extraReads = new AtomicInteger();
        volatile MemoryPolicyState reportInstead;

        @Override
        public boolean available() {
            return true;
        }

        @Override
        public MemoryPolicyState applyToCurrentThread(MemoryMode mode, CpuSet nodes) {
            applies.incrementAndGet();
            return reportInstead != null ? reportInstead : new MemoryPolicyState(mode, nodes);
        }

        @Override
        public MemoryPolicyState currentThread() {
            extraReads.incrementAndGet();
            return new MemoryPolicyState(MemoryMode.DEFAULT, CpuSet.EMPTY);
        }
    }

    private ThreadPlacer placer(String rules, CountingKernel kernel, CountingMemory memory) {
        Topology topology = PlacementFixtures.machine("sparse-nodes");
        Binding binding = Binding.create(lockDir).withCpus(kernel).withMemory(memory);
        return new ThreadPlacer(PlacementFixtures.config(rules), new Planner(topology), binding, topology.cpus(), log, kernel::allowed);
    }

    /** The pin the placer recorded for a thread named {@code name}, read before the thread ends; null if unpinned. */
    private static PinnedThread pinIn(ThreadPlacer placer, String name) throws Exception {
        AtomicReference<PinnedThread> seen = new AtomicReference<>();
        Thread t = new Thread(() -> {
            placer.threadStarted(Thread.currentThread());
            seen.set(placer.pinned().values().stream().filter(p -> p.name().equals(name)).findFirst().orElse(null));
            placer.threadEnded(Thread.currentThread());
        }, name);
        t.start();
        t.join();
        return seen.get();
    }

    @Test
    void aPinReadsTheCpuMaskAndTheMemoryPolicyBackOnceEach() throws Exception {
        CountingKernel kernel = new CountingKernel(CpuSet.range(0, 7));
        CountingMemory memory = new CountingMemory();
        PinnedThread p = pinIn(placer("node1-workers-preferred.properties", kernel, memory), "worker-1");
        assertNotNull(p, log.lines()::toString);
        assertTrue(p.confirmed(), log.lines()::toString);
        assertEquals(CpuSet.of(2, 3), p.kernelCpus());
        assertEquals(new MemoryPolicyState(MemoryMode.PREFERRED, CpuSet.of(1)), p.kernelMemory());
        assertEquals(1, kernel.binds(), "one bind, whose read-back is the only CPU read");
        assertEquals(0, kernel.extraReads.get(), "no second CPU read-back");
        assertEquals(1, memory.applies.get(), "one set_mempolicy, whose read-back is the only memory read");
        assertEquals(0, memory.extraReads.get(), "no second memory read-back");
        assertEquals(1, log.infos().size(), log.lines()::toString);
        assertTrue(log.infos().get(0).startsWith("pinned thread 'worker-1' tid ")
                && log.infos().get(0).endsWith("cpus 2-3 memory preferred 1: confirmed by the kernel"), log.infos().get(0));
    }

    @Test
    void withoutAMemoryPolicyThePinMakesNoMemoryCall() throws Exception {
        CountingKernel kernel = new CountingKernel(CpuSet.range(0, 7));
        CountingMemory memory = new CountingMemory();
        PinnedThread p = pinIn(placer("node1-workers-node.properties", kernel, memory), "worker-1");
        assertTrue(p.confirmed(), log.lines()::toString);
        assertNull(p.kernelMemory());
        assertEquals(0, memory.applies.get() + memory.extraReads.get());
        assertEquals(0, kernel.extraReads.get());
    }

    @Test
    void aCpuMaskTheKernelReportsOtherThanAskedIsNotConfirmed() throws Exception {
        CountingKernel kernel = new CountingKernel(CpuSet.range(0, 7));
        kernel.reportInstead = CpuSet.range(0, 7); // the set did not take: the thread still has its creator's mask
        PinnedThread p = pinIn(placer("node1-workers-node.properties", kernel, new CountingMemory()), "worker-1");
        assertNotNull(p, log.lines()::toString);
        assertFalse(p.confirmed());
        assertEquals(CpuSet.range(0, 7), p.kernelCpus());
        assertTrue(log.warnings().stream().anyMatch(w -> w.startsWith("pinned thread 'worker-1'")
                && w.contains("cpus 2-3 memory unchanged: NOT confirmed (kernel reports cpus 0-7)")), log.lines()::toString);
    }

    @Test
    void aMemoryPolicyTheKernelReportsOtherThanAskedIsNotConfirmed() throws Exception {
        CountingKernel kernel = new CountingKernel(CpuSet.range(0, 7));
        CountingMemory memory = new CountingMemory();
        memory.reportInstead = new MemoryPolicyState(MemoryMode.DEFAULT, CpuSet.EMPTY);
        PinnedThread p = pinIn(placer("node1-workers-preferred.properties", kernel, memory), "worker-1");
        assertFalse(p.confirmed());
        assertEquals(new MemoryPolicyState(MemoryMode.DEFAULT, CpuSet.EMPTY), p.kernelMemory());
        assertTrue(log.warnings().stream().anyMatch(w -> w.startsWith("pinned thread 'worker-1'")
                && w.contains("NOT confirmed (kernel reports memory default)")), log.lines()::toString);
    }

    @Test
    void threadsOfOneRuleShareOnePlacementButEachLeasesItsOwnExclusiveCpu() throws Exception {
        CountingKernel kernel = new CountingKernel(CpuSet.range(0, 7));
        Topology topology = PlacementFixtures.machine("sparse-nodes");
        Planner planner = new Planner(topology);
        Binding binding = Binding.create(lockDir).withCpus(kernel).withMemory(new CountingMemory());
        ThreadPlacer placer = new ThreadPlacer(PlacementFixtures.config("node1-workers-cpu.properties"), planner, binding,
                topology.cpus(), log, kernel::allowed);
        CyclicBarrier bothPinned = new CyclicBarrier(3);
        CountDownLatch end = new CountDownLatch(1);
        Thread[] threads = new Thread[2];
        for (int i = 0; i < 2; i++) {
            threads[i] = new Thread(() -> {
                try {
                    placer.threadStarted(Thread.currentThread());
                    bothPinned.await();
                    end.await();
                    placer.threadEnded(Thread.currentThread());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "worker-" + i);
            threads[i].start();
        }
        bothPinned.await();
        List<PinnedThread> pins = List.copyOf(placer.pinned().values());
        end.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(2, pins.size(), log.lines()::toString);
        assertSame(pins.get(0).placement(), pins.get(1).placement(), "the placement is computed once per rule and device");
        assertEquals(1, planner.cachedResults());
        assertEquals(CpuSet.of(2, 3), pins.get(0).kernelCpus().union(pins.get(1).kernelCpus()), "one exclusive CPU each");
        assertFalse(pins.get(0).kernelCpus().intersects(pins.get(1).kernelCpus()));
    }
}
