package io.numaagent.it;

import static io.numaagent.it.SampleEngineProcess.config;
import static io.numaagent.it.SampleEngineProcess.hostCpus;
import static io.numaagent.it.SampleEngineProcess.startHeld;
import static io.numaagent.it.SampleEngineProcess.underAgent;
import static io.numaagent.it.SampleEngineProcess.workerCpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on the sample engine, judged by the kernel: every CPU expectation is read back from
 * /proc/&lt;pid&gt;/task/&lt;tid&gt;/status of the live engine, found by the tid the engine printed. The agent's own
 * log format is not fixed, so stderr is only searched for the configuration's key and value text.
 */
@Tag("agent")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class AgentPlacementTest {

    @TempDir
    Path dir;

    @Test
    void gpuWorkersRunOnTheirGpusNodeAndEverythingElseKeepsTheProcessCpus() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "gpu-workers.properties", machine)).args("--devices", "2"))) {
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());

            assertCpus(List.of(0), kernel, out.thread("gpu-worker-0"), engine);
            assertCpus(List.of(1), kernel, out.thread("gpu-worker-1"), engine);
            for (String unmatched : List.of("io-0", "io-1", "storage-0", "main", "gpu-helper-0", "gpu-helper-1")) {
                assertCpus(hostCpus(), kernel, out.thread(unmatched), engine);
            }
            for (EngineOutput.Line forkJoin : out.threadsNamedLike("ForkJoinPool.*")) {
                assertCpus(hostCpus(), kernel, forkJoin, engine);
            }
            // what the engine read inside each worker agrees with the kernel
            assertEquals("0", out.thread("gpu-worker-0").get("cpus"), engine.describe());
            assertEquals("1", out.thread("gpu-worker-1").get("cpus"), engine.describe());
            // memory: node 0 exists on the real kernel too, so its preferred policy is checkable
            assertEquals("preferred:0", out.thread("gpu-worker-0").get("mempolicy"), engine.describe());
            // a helper started by a pinned worker does not keep the worker's placement
            assertEquals("default", out.thread("gpu-helper-0").get("mempolicy"), engine.describe());
        }
    }

    @Test
    void exclusiveCpuModeOnAOneCpuNodeGivesTheSecondWorkerTheNodeWithAWarning() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "workers-share-gpu0-cpu.properties", machine))
                .args("--devices", "2"))) {
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());
            // node 0 has one CPU: the first worker takes it, the second falls back to the node (the same CPU)
            assertCpus(List.of(0), kernel, out.thread("gpu-worker-0"), engine);
            assertCpus(List.of(0), kernel, out.thread("gpu-worker-1"), engine);
            assertTrue(engine.stderrLines().stream()
                            .anyMatch(l -> l.matches("(?i).*warn.*") && l.matches(".*gpu-worker-[01].*")),
                    "no warning naming the worker that could not have a CPU of its own\n" + engine.describe());
        }
    }

    @Test
    void exclusiveCpuModeGivesEachWorkerACpuOfItsOwn() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "workers-share-gpu0-cpu.properties", machine))
                .args("--devices", "2"))) {
            assertEquals(Set.of(List.of(0), List.of(1)), Set.copyOf(workerCpus(engine)), engine.describe());
        }
    }

    @Test
    void exclusiveCoreModeGivesEachWorkerACoreOfItsOwn() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "workers-share-gpu0-core.properties", machine))
                .args("--devices", "2"))) {
            // each core of this machine has one CPU
            assertEquals(Set.of(List.of(0), List.of(1)), Set.copyOf(workerCpus(engine)), engine.describe());
        }
    }

    @Test
    void exclusiveCpuModeGivesTheWholeNodeOnceItsCpusAreTaken() {
        SyntheticMachine machine = SyntheticMachine.create("one-node-two-cores", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "workers-share-gpu0-cpu.properties", machine))
                .args("--devices", "3"))) {
            List<List<Integer>> cpus = new ArrayList<>(workerCpus(engine));
            cpus.sort(Comparator.comparing((List<Integer> c) -> c.size()).thenComparing(c -> c.get(0)));
            assertEquals(List.of(List.of(0), List.of(1), List.of(0, 1)), cpus, engine.describe());
        }
    }

    @Test
    void processCpusUnionConfinesTheWholeProcessToTheRulesDevices() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "process-union-gpu0.properties", machine)))) {
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());
            for (String name : List.of("main", "io-0", "io-1", "storage-0", "gpu-worker-0", "gpu-worker-1", "gpu-helper-0")) {
                assertCpus(List.of(0), kernel, out.thread(name), engine);
            }
            assertEquals("0", ProcThreads.processCpus(engine.pid()), engine.describe());
        }
    }

    @Test
    void threadClassRuleMatchesTheWorkersByTheirClass() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "worker-class.properties", machine)))) {
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());
            assertCpus(List.of(1), kernel, out.thread("gpu-worker-0"), engine);
            assertCpus(List.of(1), kernel, out.thread("gpu-worker-1"), engine);
            // plain Threads, even those started by a DeviceWorker, are not DeviceWorkers
            assertCpus(hostCpus(), kernel, out.thread("gpu-helper-0"), engine);
            assertCpus(hostCpus(), kernel, out.thread("io-0"), engine);
        }
    }

    @Test
    void runnableClassRuleMatchesTheThreadBuiltAroundAStorageTask() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "storage-runnable-near-nic.properties", machine)))) {
            EngineOutput out = EngineOutput.of(engine);
            ProcThreads kernel = ProcThreads.of(engine.pid());
            assertCpus(List.of(1), kernel, out.thread("storage-0"), engine);
            assertCpus(hostCpus(), kernel, out.thread("io-0"), engine);
            assertCpus(hostCpus(), kernel, out.thread("gpu-worker-0"), engine);
        }
    }

    @Test
    void engineKeepsItsOwnJnaUnderTheAgent() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = underAgent(dir, config(dir, "gpu-workers.properties", machine)).args("--devices", "1").start()) {
            assertEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
            String start = engine.awaitLine("engine ", SampleEngineProcess.READY_TIMEOUT);
            assertTrue(start.contains("pagesource=move_pages(jna 5.14.0)"), engine.describe());
            assertEquals("move_pages", EngineOutput.of(engine).thread("gpu-worker-0").get("pagesource"), engine.describe());
        }
    }

    @Test
    void badConfigLineIsReportedOnceAndTheEngineStillRuns() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        try (ChildJvm engine = startHeld(underAgent(dir, config(dir, "bad-cpus-value.properties", machine)))) {
            EngineOutput out = EngineOutput.of(engine);
            List<String> naming = engine.stderrLines().stream().filter(l -> l.contains("rule.io.cpus")).toList();
            assertEquals(1, naming.size(), "lines naming rule.io.cpus\n" + engine.describe());
            assertTrue(naming.get(0).contains("sometimes"), naming.get(0));
            // the good rule still places the workers; the bad rule's threads are left alone
            ProcThreads kernel = ProcThreads.of(engine.pid());
            assertCpus(List.of(0), kernel, out.thread("gpu-worker-0"), engine);
            assertCpus(hostCpus(), kernel, out.thread("io-0"), engine);
            engine.closeStdin();
            assertEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
        }
    }

    @Test
    void strictConfigWithABadLineStopsTheJvmBeforeMain() {
        SyntheticMachine machine = SyntheticMachine.create("two-node", dir);
        Path config = AgentConfig.fromResource("bad-cpus-value.properties").on(machine, dir.resolve("locks"))
                .with("strict", true).writeTo(dir.resolve("strict.properties"));
        try (ChildJvm engine = underAgent(dir, config).start()) {
            assertNotEquals(0, engine.awaitExit(SampleEngineProcess.EXIT_TIMEOUT), engine.describe());
            assertFalse(engine.stdout().contains("engine pid="), "main ran\n" + engine.describe());
            assertTrue(engine.stderrLines().stream().anyMatch(l -> l.contains("rule.io.cpus") && l.contains("sometimes")),
                    engine.describe());
        }
    }

    private static void assertCpus(List<Integer> expected, ProcThreads kernel, EngineOutput.Line thread, ChildJvm engine) {
        assertEquals(expected, kernel.byTid(thread.tid()).cpus(),
                "kernel mask of " + thread.name() + " (tid " + thread.tid() + ")\n" + engine.describe());
    }
}
